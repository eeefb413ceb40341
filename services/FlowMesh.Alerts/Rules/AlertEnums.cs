namespace FlowMesh.Alerts.Rules;

/// <summary>What a rule measures per group and period.</summary>
public enum AlertAggregation
{
    Flows,
    Packets,
    Bytes,
    RejectedFlows,
    /// <summary>Rejected flows / flows, a fraction (0.2 = 20 %).</summary>
    RejectRate,
    DistinctSources,
    DistinctDestinations,
    DistinctDestinationPorts,
    /// <summary>Flows when not one of them was rejected, else 0: an ACCEPT-only capture filter.</summary>
    FlowsWithoutRejects,
}

/// <summary>What a rule keeps one alarm state per.</summary>
public enum AlertGroupBy { None, Source, Destination, Interface, DestinationPort, Vpc, Account }

/// <summary>The configuration and API spellings of the rule enums (snake_case).</summary>
public static class AlertNames
{
    private static readonly Dictionary<string, AlertAggregation> Aggregations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["flows"] = AlertAggregation.Flows,
        ["packets"] = AlertAggregation.Packets,
        ["bytes"] = AlertAggregation.Bytes,
        ["rejected_flows"] = AlertAggregation.RejectedFlows,
        ["reject_rate"] = AlertAggregation.RejectRate,
        ["distinct_sources"] = AlertAggregation.DistinctSources,
        ["distinct_destinations"] = AlertAggregation.DistinctDestinations,
        ["distinct_destination_ports"] = AlertAggregation.DistinctDestinationPorts,
        ["flows_without_rejects"] = AlertAggregation.FlowsWithoutRejects,
    };

    private static readonly Dictionary<string, AlertGroupBy> Groupings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = AlertGroupBy.None,
        ["source"] = AlertGroupBy.Source,
        ["destination"] = AlertGroupBy.Destination,
        ["interface"] = AlertGroupBy.Interface,
        ["destination_port"] = AlertGroupBy.DestinationPort,
        ["vpc"] = AlertGroupBy.Vpc,
        ["account"] = AlertGroupBy.Account,
    };

    public static IEnumerable<string> AggregationNames => Aggregations.Keys;

    public static IEnumerable<string> GroupByNames => Groupings.Keys;

    public static bool TryParseAggregation(string? text, out AlertAggregation value) => Aggregations.TryGetValue(text ?? "", out value);

    public static bool TryParseGroupBy(string? text, out AlertGroupBy value) => Groupings.TryGetValue(text ?? "", out value);

    public static string Name(AlertAggregation value) => Aggregations.First(p => p.Value == value).Key;

    public static string Name(AlertGroupBy value) => Groupings.First(p => p.Value == value).Key;
}
