using FlowMesh.FlowLogs;

namespace FlowMesh.Grains;

/// <summary>
/// Combined flow-log records between two addresses as one interface logged them: same source and
/// destination, service-side source port (-1 when it was a client's ephemeral port), destination port,
/// protocol, action, direction and reject reason, over the minutes <see cref="FirstMinute"/>–<see cref="LastMinute"/>
/// (Unix seconds / 60). <see cref="TcpFlags"/> is the OR of the records' tcp-flags. A reply (service
/// port → ephemeral ports) is one record whose destination ports span <see cref="DestinationPort"/>–<see cref="HighestDestinationPort"/>;
/// for every other record the two are equal.
/// </summary>
[GenerateSerializer, Immutable, Alias("flowmesh.ConnectionRecord")]
public sealed record ConnectionRecord(
    [property: Id(0)] string? InterfaceId,
    [property: Id(1)] FlowAddress Source,
    [property: Id(2)] FlowAddress Destination,
    [property: Id(3)] int SourcePort,
    [property: Id(4)] int DestinationPort,
    [property: Id(5)] int Protocol,
    [property: Id(6)] FlowAction Action,
    [property: Id(7)] FlowDirection Direction,
    [property: Id(8)] string? RejectReason,
    [property: Id(9)] int TcpFlags,
    [property: Id(10)] long Flows,
    [property: Id(11)] long Packets,
    [property: Id(12)] long Bytes,
    [property: Id(13)] long FirstMinute,
    [property: Id(14)] long LastMinute,
    [property: Id(15)] int HighestDestinationPort);

/// <summary>
/// What an address grain holds about its traffic with one peer: the connection records (bounded per
/// address, see <c>FlowMesh:Aggregation:ConnectionRecordsPerAddress</c>), whether the address itself
/// appears in any record of the retained hour, and whether older records with other peers were
/// evicted to stay within the bound (so an absence is less conclusive).
/// </summary>
[GenerateSerializer, Immutable, Alias("flowmesh.ConnectionRecords")]
public sealed record ConnectionRecords(
    [property: Id(0)] bool AddressSeen,
    [property: Id(1)] bool Evicted,
    [property: Id(2)] IReadOnlyList<ConnectionRecord> Records);
