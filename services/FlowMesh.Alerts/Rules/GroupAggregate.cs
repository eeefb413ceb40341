using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Alerts.Rules;

/// <summary>
/// The matching traffic of one group in one period: exact sums, and the exact set of distinct
/// sources, destinations or destination ports when the rule counts them (only then).
/// </summary>
public sealed class GroupAggregate
{
    public long Flows { get; private set; }
    public long Packets { get; private set; }
    public long Bytes { get; private set; }
    public long RejectedFlows { get; private set; }
    public HashSet<FlowAddress>? Addresses { get; private set; }
    public HashSet<int>? Ports { get; private set; }

    public int DistinctCount => Addresses?.Count ?? Ports?.Count ?? 0;

    public void Add(in FlowRow row, AlertAggregation aggregation)
    {
        Flows += row.Flows;
        Packets += row.Packets;
        Bytes += row.Bytes;
        if (row.Key.Action == FlowAction.Reject) RejectedFlows += row.Flows;
        switch (aggregation)
        {
            case AlertAggregation.DistinctSources:
                (Addresses ??= []).Add(row.Key.Source);
                break;
            case AlertAggregation.DistinctDestinations:
                (Addresses ??= []).Add(row.Key.Destination);
                break;
            case AlertAggregation.DistinctDestinationPorts:
                (Ports ??= []).Add(row.Key.DestinationPort);
                break;
        }
    }

    /// <summary>Adds another partial (another flush's share of the same group and period).</summary>
    public void Merge(long flows, long packets, long bytes, long rejectedFlows, FlowAddress[]? addresses, int[]? ports)
    {
        Flows += flows;
        Packets += packets;
        Bytes += bytes;
        RejectedFlows += rejectedFlows;
        // Loops, not UnionWith: that takes an IEnumerable, which boxes an enumerator per call.
        if (addresses is { Length: > 0 })
        {
            var set = Addresses ??= [];
            foreach (var address in addresses) set.Add(address);
        }
        if (ports is { Length: > 0 })
        {
            var set = Ports ??= [];
            foreach (var port in ports) set.Add(port);
        }
    }

    /// <summary>Empties the aggregate for reuse, keeping its sets' storage (<see cref="AlertEvaluator"/>).</summary>
    public void Reset()
    {
        Flows = Packets = Bytes = RejectedFlows = 0;
        Addresses?.Clear();
        Ports?.Clear();
    }
}
