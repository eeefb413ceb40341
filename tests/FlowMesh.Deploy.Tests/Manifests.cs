using k8s;
using k8s.Models;

namespace FlowMesh.Deploy.Tests;

/// <summary>One rendered kustomization, parsed strictly into the KubernetesClient model types.</summary>
internal sealed class Manifests
{
    private Manifests(string name, IReadOnlyList<object> objects)
    {
        Name = name;
        Objects = objects;
    }

    public string Name { get; }

    public IReadOnlyList<object> Objects { get; }

    public IEnumerable<V1Deployment> Deployments => Objects.OfType<V1Deployment>();

    public IEnumerable<V1Service> Services => Objects.OfType<V1Service>();

    public IEnumerable<V1ConfigMap> ConfigMaps => Objects.OfType<V1ConfigMap>();

    public IEnumerable<V1Secret> Secrets => Objects.OfType<V1Secret>();

    public IEnumerable<V1NetworkPolicy> NetworkPolicies => Objects.OfType<V1NetworkPolicy>();

    /// <summary>The Deployments running the FlowMesh image (not the dev Redis).</summary>
    public IEnumerable<V1Deployment> FlowMeshDeployments =>
        Deployments.Where(d => d.Spec.Template.Metadata.Labels.TryGetValue(Labels.Name, out var name) && name == Labels.FlowMesh);

    public V1Deployment Deployment(string name) =>
        Deployments.SingleOrDefault(d => d.Metadata.Name == name) ?? throw new InvalidOperationException($"{Name}: no Deployment {name}");

    /// <summary>
    /// Renders deploy/k8s/<paramref name="kustomization"/> and parses it; strict: a field the
    /// Kubernetes API does not know (a typo) fails the parse.
    /// </summary>
    public static Manifests Load(string kustomization)
    {
        var yaml = Kustomize.Build(kustomization);
        return new Manifests(kustomization, KubernetesYaml.LoadAllFromString(yaml, strict: true));
    }

    /// <summary>Pod templates of every Deployment with the namespace they run in.</summary>
    public IEnumerable<(V1Deployment Deployment, V1PodTemplateSpec Template)> PodTemplates =>
        Deployments.Select(d => (d, d.Spec.Template));

    /// <summary>Every environment variable of a container, resolved: literal values and ConfigMap entries as text, references described.</summary>
    public IReadOnlyDictionary<string, EnvValue> Environment(V1Container container)
    {
        var result = new Dictionary<string, EnvValue>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var name = source.ConfigMapRef?.Name ?? throw new InvalidOperationException($"{Name}: envFrom without configMapRef in {container.Name}");
            var map = ConfigMaps.SingleOrDefault(m => m.Metadata.Name == name)
                ?? throw new InvalidOperationException($"{Name}: container {container.Name} reads ConfigMap {name}, which is not rendered");
            foreach (var (key, value) in map.Data)
                result[key] = EnvValue.Literal(value);
        }
        foreach (var variable in container.Env ?? [])
        {
            result[variable.Name] = variable.ValueFrom switch
            {
                null => EnvValue.Literal(variable.Value ?? string.Empty),
                { SecretKeyRef: { } secret } => EnvValue.Secret(secret.Name, secret.Key),
                { FieldRef: { } field } => EnvValue.Field(field.FieldPath),
                { ConfigMapKeyRef: { } entry } => EnvValue.Literal(ConfigMaps.Single(m => m.Metadata.Name == entry.Name).Data[entry.Key]),
                _ => throw new InvalidOperationException($"{Name}: unsupported valueFrom for {variable.Name}"),
            };
        }
        return result;
    }
}

/// <summary>Where an environment variable's value comes from.</summary>
internal sealed record EnvValue(string? Value, string? SecretName, string? SecretKey, string? FieldPath)
{
    public static EnvValue Literal(string value) => new(value, null, null, null);

    public static EnvValue Secret(string name, string key) => new(null, name, key, null);

    public static EnvValue Field(string path) => new(null, null, null, path);
}

/// <summary>Labels the manifests use.</summary>
internal static class Labels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Component = "app.kubernetes.io/component";
    public const string FlowMesh = "flowmesh";
}
