using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation.Batching;

/// <summary>
/// What records are combined by before any grain call: one minute of event time on one
/// interface for one (source, destination, destination port, protocol, action, direction).
/// Source ports are dropped on purpose — they are mostly ephemeral and would defeat combining;
/// no view ranks by source port. Account and VPC ride along (they are constant per interface)
/// so rows can be routed to leaderboard scopes without a lookup.
/// </summary>
public readonly record struct FlowRowKey(
    long Minute,
    string? InterfaceId,
    string? AccountId,
    string? VpcId,
    FlowAddress Source,
    FlowAddress Destination,
    int DestinationPort,
    int Protocol,
    FlowAction Action,
    FlowDirection Direction,
    LogStatus Status);

/// <summary>Combined counters of the records that share a <see cref="FlowRowKey"/>.</summary>
public readonly record struct FlowRow(FlowRowKey Key, long Flows, long Packets, long Bytes)
{
    /// <summary>True for NODATA/SKIPDATA rows, which carry a record count in <see cref="Flows"/> and no traffic.</summary>
    public bool IsNoTraffic => Key.Status is LogStatus.NoData or LogStatus.SkipData;
}
