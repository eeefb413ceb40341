using FlowMesh.Aggregation;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Grains;

// The pure libraries (FlowLogs, Aggregation) know nothing of Orleans; these surrogates let their
// value types cross grain boundaries without giving those libraries an Orleans dependency.

[GenerateSerializer]
public struct FlowAddressSurrogate
{
    [Id(0)] public ulong High { get; set; }
    [Id(1)] public ulong Low { get; set; }
    [Id(2)] public byte Family { get; set; }
}

[RegisterConverter]
public sealed class FlowAddressConverter : IConverter<FlowAddress, FlowAddressSurrogate>
{
    public FlowAddress ConvertFromSurrogate(in FlowAddressSurrogate surrogate) => new(surrogate.High, surrogate.Low, surrogate.Family);

    public FlowAddressSurrogate ConvertToSurrogate(in FlowAddress value) => new() { High = value.High, Low = value.Low, Family = value.Family };
}

[GenerateSerializer]
public struct ContributorKeySurrogate
{
    [Id(0)] public FlowAddress Address { get; set; }
    [Id(1)] public FlowAddress Peer { get; set; }
    [Id(2)] public int Number { get; set; }
    [Id(3)] public string? Text { get; set; }
}

[RegisterConverter]
public sealed class ContributorKeyConverter : IConverter<ContributorKey, ContributorKeySurrogate>
{
    public ContributorKey ConvertFromSurrogate(in ContributorKeySurrogate s) => new(s.Address, s.Peer, s.Number, s.Text);

    public ContributorKeySurrogate ConvertToSurrogate(in ContributorKey value) =>
        new() { Address = value.Address, Peer = value.Peer, Number = value.Number, Text = value.Text };
}

[GenerateSerializer]
public struct FlowRowSurrogate
{
    [Id(0)] public long Minute { get; set; }
    [Id(1)] public string? InterfaceId { get; set; }
    [Id(2)] public string? AccountId { get; set; }
    [Id(3)] public string? VpcId { get; set; }
    [Id(4)] public FlowAddress Source { get; set; }
    [Id(5)] public FlowAddress Destination { get; set; }
    [Id(6)] public int DestinationPort { get; set; }
    [Id(7)] public int Protocol { get; set; }
    [Id(8)] public FlowAction Action { get; set; }
    [Id(9)] public FlowDirection Direction { get; set; }
    [Id(10)] public LogStatus Status { get; set; }
    [Id(11)] public long Flows { get; set; }
    [Id(12)] public long Packets { get; set; }
    [Id(13)] public long Bytes { get; set; }
    [Id(14)] public int SourcePort { get; set; }
    [Id(15)] public string? RejectReason { get; set; }
    [Id(16)] public int TcpFlags { get; set; }
}

[RegisterConverter]
public sealed class FlowRowConverter : IConverter<FlowRow, FlowRowSurrogate>
{
    public FlowRow ConvertFromSurrogate(in FlowRowSurrogate s) => new(
        new FlowRowKey(s.Minute, s.InterfaceId, s.AccountId, s.VpcId, s.Source, s.Destination, s.DestinationPort, s.Protocol, s.Action, s.Direction, s.Status, s.SourcePort, s.RejectReason),
        s.Flows, s.Packets, s.Bytes, s.TcpFlags);

    public FlowRowSurrogate ConvertToSurrogate(in FlowRow value)
    {
        var k = value.Key;
        return new()
        {
            Minute = k.Minute, InterfaceId = k.InterfaceId, AccountId = k.AccountId, VpcId = k.VpcId,
            Source = k.Source, Destination = k.Destination, DestinationPort = k.DestinationPort, Protocol = k.Protocol,
            Action = k.Action, Direction = k.Direction, Status = k.Status, SourcePort = k.SourcePort, RejectReason = k.RejectReason,
            Flows = value.Flows, Packets = value.Packets, Bytes = value.Bytes, TcpFlags = value.TcpFlags,
        };
    }
}

[GenerateSerializer]
public struct InterfaceMetadataSurrogate
{
    [Id(0)] public string InterfaceId { get; set; }
    [Id(1)] public string? AccountId { get; set; }
    [Id(2)] public string? VpcId { get; set; }
    [Id(3)] public string? SubnetId { get; set; }
    [Id(4)] public string? InstanceId { get; set; }
    [Id(5)] public long FirstSeenUnix { get; set; }
    [Id(6)] public long LastSeenUnix { get; set; }
}

[RegisterConverter]
public sealed class InterfaceMetadataConverter : IConverter<InterfaceMetadata, InterfaceMetadataSurrogate>
{
    public InterfaceMetadata ConvertFromSurrogate(in InterfaceMetadataSurrogate s) =>
        new(s.InterfaceId, s.AccountId, s.VpcId, s.SubnetId, s.InstanceId, s.FirstSeenUnix, s.LastSeenUnix);

    public InterfaceMetadataSurrogate ConvertToSurrogate(in InterfaceMetadata value) => new()
    {
        InterfaceId = value.InterfaceId, AccountId = value.AccountId, VpcId = value.VpcId, SubnetId = value.SubnetId,
        InstanceId = value.InstanceId, FirstSeenUnix = value.FirstSeenUnix, LastSeenUnix = value.LastSeenUnix,
    };
}
