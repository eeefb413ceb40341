using System.Text;
using FlowMesh.FlowLogs;

namespace FlowMesh.Cli.Commands;

/// <summary>The human-readable table of <c>flowmesh parse</c>: one column per field, numbers right-aligned.</summary>
internal static class AlignedText
{
    private const string Gap = "  ";

    public static string Heading(FlowLogFormat format)
    {
        var sb = new StringBuilder();
        foreach (var field in format.Fields)
            Append(sb, FlowFieldInfo.Name(field), field, rightAlign: false);
        return sb.ToString().TrimEnd();
    }

    public static string Row(in FlowRecord record, FlowLogFormat format)
    {
        var sb = new StringBuilder();
        foreach (var field in format.Fields)
            Append(sb, FlowRecordFormatter.FormatValue(in record, field), field, IsNumber(field));
        return sb.ToString().TrimEnd();
    }

    private static void Append(StringBuilder sb, string text, FlowField field, bool rightAlign)
    {
        if (sb.Length > 0) sb.Append(Gap);
        var width = Math.Max(FlowFieldInfo.Name(field).Length, TypicalWidth(field));
        var pad = Math.Max(0, width - text.Length);
        if (rightAlign) sb.Append(' ', pad).Append(text);
        else sb.Append(text).Append(' ', pad);
    }

    private static bool IsNumber(FlowField field) => field is FlowField.Version or FlowField.SrcPort or FlowField.DstPort
        or FlowField.Protocol or FlowField.Packets or FlowField.Bytes or FlowField.Start or FlowField.End
        or FlowField.TcpFlags or FlowField.TrafficPath;

    /// <summary>Widths that fit common values (an IPv4 address, an ENI id); longer values just push the row.</summary>
    private static int TypicalWidth(FlowField field) => field switch
    {
        FlowField.AccountId => 12,
        FlowField.InterfaceId or FlowField.VpcId => 21,
        FlowField.SubnetId => 24,
        FlowField.InstanceId => 19,
        FlowField.SrcAddr or FlowField.DstAddr or FlowField.PktSrcAddr or FlowField.PktDstAddr => 15,
        FlowField.SrcPort or FlowField.DstPort => 5,
        FlowField.Packets => 8,
        FlowField.Bytes or FlowField.Start or FlowField.End => 10,
        FlowField.Action or FlowField.LogStatus => 8,
        FlowField.Region or FlowField.AzId => 10,
        _ => 0,
    };
}
