using k8s.Models;

namespace FlowMesh.Deploy.Tests;

/// <summary>Kubernetes label-selector semantics (matchLabels and matchExpressions).</summary>
internal static class LabelSelectors
{
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null) return false;
        labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value) return false;
        }
        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(expression.Key, out var actual);
            var ok = expression.OperatorProperty switch
            {
                "In" => has && expression.Values.Contains(actual!),
                "NotIn" => !has || !expression.Values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => throw new InvalidOperationException($"unknown selector operator {expression.OperatorProperty}"),
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>A Service-style selector (labels only).</summary>
    public static bool Matches(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && Matches(new V1LabelSelector { MatchLabels = selector }, labels);
}
