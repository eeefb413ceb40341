using FlowMesh.FlowLogs;

namespace FlowMesh.Alerts.Diagnostics;

/// <summary>One flow-log record as evidence: which interface logged what, in which direction, with what action.</summary>
public sealed record FlowObservation(
    string InterfaceId,
    FlowAddress Source,
    FlowAddress Destination,
    int SourcePort,
    int DestinationPort,
    int Protocol,
    FlowAction Action,
    FlowDirection Direction,
    int? TcpFlags,
    string? RejectReason,
    long Packets,
    long Bytes,
    long Start,
    long End,
    long Flows = 1,
    int HighestDestinationPort = -1)
{
    public static FlowObservation From(in FlowRecord r) => new(
        r.InterfaceId ?? "-", r.SrcAddr, r.DstAddr,
        r.Has(FlowField.SrcPort) ? r.SrcPort : -1, r.Has(FlowField.DstPort) ? r.DstPort : -1,
        r.Has(FlowField.Protocol) ? r.Protocol : -1, r.Action,
        r.Has(FlowField.FlowDirection) ? r.FlowDirection : FlowDirection.None,
        r.Has(FlowField.TcpFlags) ? r.TcpFlags : null, r.RejectReason, r.Packets, r.Bytes, r.Start, r.End);

    /// <summary>"443", or "32768-60999" for a reply that went to a range of ephemeral ports.</summary>
    public string DestinationPorts => HighestDestinationPort > DestinationPort ? $"{DestinationPort}-{HighestDestinationPort}" : $"{DestinationPort}";

    public override string ToString() =>
        $"{InterfaceId}: {Source}:{SourcePort} -> {Destination}:{DestinationPorts} proto {Protocol} {Action.ToString().ToUpperInvariant()}"
        + (Direction == FlowDirection.None ? "" : $" {Direction.ToString().ToLowerInvariant()}")
        + (TcpFlags is { } f ? $" tcp-flags {f}" : "")
        + (RejectReason is { } reason ? $" reject-reason {reason}" : "")
        + (Flows == 1 ? $" ({Packets} packets, {Bytes} bytes)" : $" ({Flows} flows, {Packets} packets, {Bytes} bytes)");
}
