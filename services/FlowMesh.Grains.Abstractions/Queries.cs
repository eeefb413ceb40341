using FlowMesh.Aggregation;

namespace FlowMesh.Grains;

/// <summary>
/// Restricts a top-N query to matching flows. Summaries cannot be filtered after the fact, so a
/// grain keeps a filtered view per distinct filter, created by the first query that uses it and
/// fed from then on: its answers cover data since <see cref="TopContributorsSnapshot.CoverageStartUnix"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("flowmesh.FlowFilter")]
public sealed record FlowFilter(
    [property: Id(0)] FlowLogs.FlowAction? Action = null,
    [property: Id(1)] int? Protocol = null,
    [property: Id(2)] int? DestinationPort = null)
{
    public bool IsEmpty => Action is null && Protocol is null && DestinationPort is null;

    public bool Matches(in Aggregation.Batching.FlowRow row) =>
        (Action is null || row.Key.Action == Action)
        && (Protocol is null || row.Key.Protocol == Protocol)
        && (DestinationPort is null || row.Key.DestinationPort == DestinationPort);

    /// <summary>Null when valid; otherwise a message naming the offending field.</summary>
    public string? Validate()
    {
        if (Action is { } a && a is not (FlowLogs.FlowAction.Accept or FlowLogs.FlowAction.Reject)) return "filter.action: must be ACCEPT or REJECT";
        if (Protocol is < 0 or > 255) return $"filter.protocol: {Protocol} is outside 0..255";
        if (DestinationPort is < 0 or > 65535) return $"filter.destination_port: {DestinationPort} is outside 0..65535";
        return null;
    }
}

/// <summary>A top-N request against one grain's rolling window.</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.TopContributorsQuery")]
public sealed record TopContributorsQuery(
    [property: Id(0)] Dimension Dimension,
    [property: Id(1)] Metric Metric,
    [property: Id(2)] Window Window,
    [property: Id(3)] int Limit,
    [property: Id(4)] FlowFilter? Filter = null)
{
    public const int MaxLimit = 100;

    /// <summary>Null when valid; otherwise a message naming the offending field.</summary>
    public string? Validate()
    {
        if (!Enum.IsDefined(Dimension)) return $"dimension: {Dimension} is not a known dimension";
        if (!Enum.IsDefined(Metric)) return $"metric: {Metric} is not a known metric";
        if (!Enum.IsDefined(Window)) return $"window: {(int)Window} minutes is not one of 1m, 5m, 15m, 60m";
        if (Limit is < 1 or > MaxLimit) return $"limit: {Limit} is outside 1..{MaxLimit}";
        return Filter?.Validate();
    }
}

/// <summary>Exact traffic totals over a window.</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.TrafficTotals")]
public sealed record TrafficTotals(
    [property: Id(0)] long Flows,
    [property: Id(1)] long Packets,
    [property: Id(2)] long Bytes,
    [property: Id(3)] long AcceptedFlows,
    [property: Id(4)] long AcceptedPackets,
    [property: Id(5)] long AcceptedBytes,
    [property: Id(6)] long RejectedFlows,
    [property: Id(7)] long RejectedPackets,
    [property: Id(8)] long RejectedBytes,
    [property: Id(9)] long NoDataRecords,
    [property: Id(10)] long SkipDataRecords)
{
    public static TrafficTotals Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Rejected flows / flows, exact; 0 when there were no flows.</summary>
    public double RejectRate => Flows == 0 ? 0 : (double)RejectedFlows / Flows;

    public static TrafficTotals From(in FlowTotals t) => new(
        t.Flows, t.Packets, t.Bytes, t.AcceptedFlows, t.AcceptedPackets, t.AcceptedBytes,
        t.RejectedFlows, t.RejectedPackets, t.RejectedBytes, t.NoDataRecords, t.SkipDataRecords);
}

/// <summary>One ranked contributor with its error bound: the true value lies in [Value − ErrorBound, Value].</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.ContributorValue")]
public sealed record ContributorValue(
    [property: Id(0)] ContributorKey Key,
    [property: Id(1)] string Label,
    [property: Id(2)] long Value,
    [property: Id(3)] long ErrorBound,
    [property: Id(4)] double Share);

/// <summary>
/// A top-N answer. <see cref="Version"/> changes only when the grain's data changes, so a
/// subscriber can tell an unchanged snapshot from a new one.
/// </summary>
[GenerateSerializer, Immutable, Alias("flowmesh.TopContributorsSnapshot")]
public sealed record TopContributorsSnapshot(
    [property: Id(0)] string Scope,
    [property: Id(1)] TopContributorsQuery Query,
    [property: Id(2)] long Version,
    [property: Id(3)] DateTimeOffset? LastUpdated,
    [property: Id(4)] long WindowStartUnix,
    [property: Id(5)] long WindowEndUnix,
    [property: Id(6)] IReadOnlyList<ContributorValue> Contributors,
    [property: Id(7)] TrafficTotals Totals,
    [property: Id(8)] bool Exact,
    [property: Id(9)] long CoverageStartUnix = 0);
