using System.Globalization;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Alerts.Rules;

/// <summary>One rule's matching traffic in one flush, per group.</summary>
public sealed record RuleMatches(AlertRule Rule, Dictionary<AlertGroupKey, GroupAggregate> Groups);

/// <summary>
/// The enabled rules, checked and compiled once. <see cref="Evaluate"/> runs every rule's filter over
/// a flush's combined rows and sums the matches per group: the cost is one cheap filter test per rule
/// and row plus one dictionary update per match, and the grains then get one call per rule that
/// matched anything — never a call per key or a poll of every key.
/// </summary>
public sealed class AlertRuleSet
{
    private const string Section = AlertsOptions.SectionName;
    private readonly Dictionary<string, AlertRule> _byName;

    private AlertRuleSet(AlertsOptions options, IReadOnlyList<AlertRule> rules)
    {
        Options = options;
        Rules = rules;
        _byName = rules.ToDictionary(r => r.Name, StringComparer.Ordinal);
    }

    public static AlertRuleSet Empty { get; } = new(new AlertsOptions { Enabled = false }, []);

    public AlertsOptions Options { get; }

    public IReadOnlyList<AlertRule> Rules { get; }

    public AlertRule? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Compiles the enabled rules; throws <see cref="ArgumentException"/> listing every problem.</summary>
    public static AlertRuleSet Create(AlertsOptions options)
    {
        var (set, failures) = TryCreate(options);
        return failures.Count == 0 ? set! : throw new ArgumentException(string.Join(" ", failures), nameof(options));
    }

    /// <summary>Every problem with the settings (each naming the key and the value), or the compiled set.</summary>
    public static (AlertRuleSet? Set, IReadOnlyList<string> Failures) TryCreate(AlertsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!options.Enabled) return (new AlertRuleSet(options, []), failures);
        if (options.EvaluationInterval < TimeSpan.FromMilliseconds(100) || options.EvaluationInterval > TimeSpan.FromMinutes(1))
            failures.Add($"{Section}:EvaluationInterval {options.EvaluationInterval} is out of range; use 00:00:00.1 to 00:01:00.");
        if (options.MaxGroupsPerRule is < 1 or > 1_000_000)
            failures.Add($"{Section}:MaxGroupsPerRule {options.MaxGroupsPerRule} is out of range; use 1 to 1000000.");
        if (options.RecentTransitions is < 1 or > 100_000)
            failures.Add($"{Section}:RecentTransitions {options.RecentTransitions} is out of range; use 1 to 100000.");

        var internalCidrs = ParseCidrs(options.InternalCidrs.Count > 0 ? options.InternalCidrs : CidrBlock.PrivateRanges, $"{Section}:InternalCidrs", failures);

        var definitions = new List<(AlertRuleOptions Rule, bool BuiltIn, bool Configured, string Key)>();
        foreach (var name in BuiltInSelection(options.BuiltInRules, failures))
            definitions.Add((BuiltInAlertRules.Create(name)!, true, false, $"{Section}:BuiltInRules ({name})"));
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            var key = $"{Section}:Rules:{i.ToString(CultureInfo.InvariantCulture)}";
            // Only a selected built-in is replaced; an earlier configured rule of the same name (even a built-in's name) is a duplicate.
            var replaced = definitions.FindIndex(d => !d.Configured && string.Equals(d.Rule.Name, rule.Name, StringComparison.Ordinal));
            if (replaced >= 0) definitions.RemoveAt(replaced);
            else if (definitions.Any(d => string.Equals(d.Rule.Name, rule.Name, StringComparison.Ordinal)))
                failures.Add($"{key}:Name '{rule.Name}' is used by another rule; names must be unique.");
            definitions.Add((rule, BuiltInAlertRules.Create(rule.Name) is not null, true, key));
        }

        var rules = new List<AlertRule>();
        foreach (var (rule, builtIn, _, key) in definitions)
        {
            if (Compile(rule, builtIn, key, internalCidrs, failures) is { } compiled && rule.Enabled) rules.Add(compiled);
        }
        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            var hook = options.Webhooks[i];
            var key = $"{Section}:Webhooks:{i.ToString(CultureInfo.InvariantCulture)}";
            if (!Uri.TryCreate(hook.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                failures.Add($"{key}:Url '{hook.Url}' is not an absolute http(s) URL.");
            if (string.IsNullOrEmpty(hook.Secret))
                failures.Add($"{key}:Secret is not set; receivers verify X-FlowMesh-Signature with it (set it from a secret, e.g. FlowMesh__Alerts__Webhooks__{i.ToString(CultureInfo.InvariantCulture)}__Secret).");
            if (hook.MaxAttempts is < 1 or > 20)
                failures.Add($"{key}:MaxAttempts {hook.MaxAttempts} is out of range; use 1 to 20.");
            if (hook.InitialBackoff < TimeSpan.Zero || hook.InitialBackoff > TimeSpan.FromMinutes(5))
                failures.Add($"{key}:InitialBackoff {hook.InitialBackoff} is out of range; use 00:00:00 to 00:05:00.");
            foreach (var name in hook.Rules)
                if (definitions.All(d => !string.Equals(d.Rule.Name, name, StringComparison.Ordinal)))
                    failures.Add($"{key}:Rules names '{name}', which is not a rule.");
        }
        return failures.Count == 0 ? (new AlertRuleSet(options, rules), failures) : (null, failures);
    }

    /// <summary>
    /// Each rule's matching rows of one flush, summed per group; rules that match nothing are left out.
    /// A flush loop reuses an <see cref="AlertEvaluator"/> instead, which gives the same answer.
    /// </summary>
    public List<RuleMatches> Evaluate(ReadOnlySpan<FlowRow> rows) => [.. new AlertEvaluator(this).Evaluate(rows)];

    private static IEnumerable<string> BuiltInSelection(string? selection, List<string> failures)
    {
        var text = (selection ?? "").Trim();
        if (text.Length == 0 || text.Equals("default", StringComparison.OrdinalIgnoreCase)) return BuiltInAlertRules.Defaults;
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase)) return [];
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase)) return BuiltInAlertRules.Names;
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names.Where(n => BuiltInAlertRules.Create(n) is null))
            failures.Add($"{Section}:BuiltInRules names '{name}', which is not a built-in rule; use default, none, all or a comma-separated list of {string.Join(", ", BuiltInAlertRules.Names)}.");
        return names.Where(n => BuiltInAlertRules.Create(n) is not null).Distinct(StringComparer.Ordinal);
    }

    private static AlertRule? Compile(AlertRuleOptions rule, bool builtIn, string key, CidrBlock[] internalCidrs, List<string> failures)
    {
        var before = failures.Count;
        if (string.IsNullOrWhiteSpace(rule.Name) || rule.Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            failures.Add($"{key}:Name '{rule.Name}' is not a rule name; use letters, digits, '-', '_' or '.'.");
        if (!AlertNames.TryParseAggregation(rule.Aggregation, out var aggregation))
            failures.Add($"{key}:Aggregation '{rule.Aggregation}' is not one of {string.Join(", ", AlertNames.AggregationNames)}.");
        if (!AlertNames.TryParseGroupBy(rule.GroupBy, out var groupBy))
            failures.Add($"{key}:GroupBy '{rule.GroupBy}' is not one of {string.Join(", ", AlertNames.GroupByNames)}.");
        if (rule.Period < TimeSpan.FromSeconds(1) || rule.Period > TimeSpan.FromHours(1))
            failures.Add($"{key}:Period {rule.Period} is out of range; use 00:00:01 to 01:00:00.");
        if (double.IsNaN(rule.Threshold) || rule.Threshold < 0)
            failures.Add($"{key}:Threshold {rule.Threshold.ToString(CultureInfo.InvariantCulture)} must be 0 or more (the value must be above it to breach).");
        if (aggregation == AlertAggregation.RejectRate && rule.Threshold >= 1)
            failures.Add($"{key}:Threshold {rule.Threshold.ToString(CultureInfo.InvariantCulture)} can never be exceeded by reject_rate, a fraction (0.2 = 20 %).");
        if (rule.EvaluationPeriods is < 1 or > 60)
            failures.Add($"{key}:EvaluationPeriods {rule.EvaluationPeriods} is out of range; use 1 to 60.");
        if (rule.DatapointsToAlarm < 1 || rule.DatapointsToAlarm > rule.EvaluationPeriods)
            failures.Add($"{key}:DatapointsToAlarm {rule.DatapointsToAlarm} must be between 1 and EvaluationPeriods ({rule.EvaluationPeriods}).");
        if (rule.MinimumFlows < 0)
            failures.Add($"{key}:MinimumFlows {rule.MinimumFlows} must be 0 or more.");

        var filter = rule.Filter ?? new AlertFilterOptions();
        rule.Filter = filter;
        foreach (var port in filter.DestinationPorts.Where(p => p is < 0 or > 65535))
            failures.Add($"{key}:Filter:DestinationPorts {port} is not a port (0-65535).");
        HashSet<int>? protocols = null;
        foreach (var text in filter.Protocols)
        {
            if (Protocol(text) is { } number) (protocols ??= []).Add(number);
            else failures.Add($"{key}:Filter:Protocols '{text}' is not tcp, udp, icmp, icmpv6 or a protocol number (0-255).");
        }
        var action = filter.Action?.Trim().ToLowerInvariant() switch
        {
            null or "" => FlowAction.None,
            "accept" => FlowAction.Accept,
            "reject" => FlowAction.Reject,
            _ => Fail(FlowAction.None, $"{key}:Filter:Action '{filter.Action}' is not accept or reject."),
        };
        var direction = filter.Direction?.Trim().ToLowerInvariant() switch
        {
            null or "" => FlowDirection.None,
            "ingress" => FlowDirection.Ingress,
            "egress" => FlowDirection.Egress,
            _ => Fail(FlowDirection.None, $"{key}:Filter:Direction '{filter.Direction}' is not ingress or egress."),
        };
        var sourceInside = Side(filter.Source, $"{key}:Filter:Source", failures);
        var destinationInside = Side(filter.Destination, $"{key}:Filter:Destination", failures);
        var sourceCidrs = ParseCidrs(filter.SourceCidrs, $"{key}:Filter:SourceCidrs", failures);
        var destinationCidrs = ParseCidrs(filter.DestinationCidrs, $"{key}:Filter:DestinationCidrs", failures);
        if (failures.Count > before) return null;
        return new AlertRule(rule, builtIn, aggregation, groupBy, protocols, action, direction, sourceInside, destinationInside, internalCidrs, sourceCidrs, destinationCidrs);

        T Fail<T>(T value, string failure)
        {
            failures.Add(failure);
            return value;
        }
    }

    private static bool? Side(string? text, string key, List<string> failures)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "": return null;
            case "inside": return true;
            case "outside": return false;
            default:
                failures.Add($"{key} '{text}' is not inside or outside (relative to {Section}:InternalCidrs).");
                return null;
        }
    }

    private static int? Protocol(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "tcp" => 6,
        "udp" => 17,
        "icmp" => 1,
        "icmpv6" => 58,
        var t when int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 255 => n,
        _ => null,
    };

    private static CidrBlock[] ParseCidrs(IEnumerable<string> texts, string key, List<string> failures)
    {
        var blocks = new List<CidrBlock>();
        foreach (var text in texts)
        {
            if (CidrBlock.TryParse(text, out var block, out var error)) blocks.Add(block);
            else failures.Add($"{key}: {error}.");
        }
        return [.. blocks];
    }
}
