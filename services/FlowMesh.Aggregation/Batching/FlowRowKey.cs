using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation.Batching;

/// <summary>
/// What records are combined by before any grain call: one minute of event time on one
/// interface for one (source, destination, destination port, protocol, action, direction).
/// Account and VPC ride along (they are constant per interface) so rows can be routed to
/// leaderboard scopes without a lookup.
/// <para>
/// <see cref="SourcePort"/> is kept only when it is not above the destination port — the reply
/// of a server (service port → ephemeral port), which connection diagnosis pairs with its request;
/// a client's ephemeral source port (the usual case) is dropped (-1) so it cannot defeat combining.
/// A reply's destination port is already ephemeral, so keeping its source port splits nothing.
/// <see cref="RejectReason"/> is AWS's reject-reason (v8), e.g. BPA; null for '-' or absent.
/// </para>
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
    LogStatus Status,
    int SourcePort = -1,
    string? RejectReason = null)
{
    /// <summary>The source port a row keeps: the service side of a reply, else -1 (see the type's remarks).</summary>
    public static int KeptSourcePort(int sourcePort, int destinationPort) =>
        sourcePort >= 0 && destinationPort >= 0 && sourcePort <= destinationPort ? sourcePort : -1;
}

/// <summary>
/// Combined counters of the records that share a <see cref="FlowRowKey"/>; <see cref="TcpFlags"/> is
/// the bitwise OR of the records' tcp-flags (v3), 0 when absent.
/// </summary>
public readonly record struct FlowRow(FlowRowKey Key, long Flows, long Packets, long Bytes, int TcpFlags = 0)
{
    /// <summary>True for NODATA/SKIPDATA rows, which carry a record count in <see cref="Flows"/> and no traffic.</summary>
    public bool IsNoTraffic => Key.Status is LogStatus.NoData or LogStatus.SkipData;
}
