namespace FlowMesh.FlowLogs;

/// <summary>The AWS text of the enum-valued fields, both ways (case-sensitive, as AWS writes them).</summary>
public static class FlowEnumText
{
    public static FlowAction ParseAction(ReadOnlySpan<byte> utf8) =>
        utf8.SequenceEqual("ACCEPT"u8) ? FlowAction.Accept : utf8.SequenceEqual("REJECT"u8) ? FlowAction.Reject : FlowAction.None;

    public static LogStatus ParseLogStatus(ReadOnlySpan<byte> utf8) =>
        utf8.SequenceEqual("OK"u8) ? LogStatus.Ok
        : utf8.SequenceEqual("NODATA"u8) ? LogStatus.NoData
        : utf8.SequenceEqual("SKIPDATA"u8) ? LogStatus.SkipData
        : LogStatus.None;

    public static TrafficType ParseTrafficType(ReadOnlySpan<byte> utf8) =>
        utf8.SequenceEqual("IPv4"u8) ? TrafficType.IPv4
        : utf8.SequenceEqual("IPv6"u8) ? TrafficType.IPv6
        : utf8.SequenceEqual("EFA"u8) ? TrafficType.Efa
        : TrafficType.None;

    public static FlowDirection ParseFlowDirection(ReadOnlySpan<byte> utf8) =>
        utf8.SequenceEqual("ingress"u8) ? FlowDirection.Ingress : utf8.SequenceEqual("egress"u8) ? FlowDirection.Egress : FlowDirection.None;

    /// <summary>"ACCEPT", "REJECT", or "-" for <see cref="FlowAction.None"/>.</summary>
    public static string ToText(FlowAction value) => value switch
    {
        FlowAction.Accept => "ACCEPT",
        FlowAction.Reject => "REJECT",
        _ => "-",
    };

    public static string ToText(LogStatus value) => value switch
    {
        LogStatus.Ok => "OK",
        LogStatus.NoData => "NODATA",
        LogStatus.SkipData => "SKIPDATA",
        _ => "-",
    };

    public static string ToText(TrafficType value) => value switch
    {
        TrafficType.IPv4 => "IPv4",
        TrafficType.IPv6 => "IPv6",
        TrafficType.Efa => "EFA",
        _ => "-",
    };

    public static string ToText(FlowDirection value) => value switch
    {
        FlowDirection.Ingress => "ingress",
        FlowDirection.Egress => "egress",
        _ => "-",
    };
}
