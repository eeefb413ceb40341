using System.Text.Unicode;

namespace FlowMesh.FlowLogs;

/// <summary>Per-field value validation and conversion.</summary>
public sealed partial class FlowLogParser
{
    private enum ValueError : byte { None, Value, Text }

    private ValueError ParseValue(FlowField field, ReadOnlySpan<byte> value, ref FlowRecord record)
    {
        int small;
        long large;
        FlowAddress address;
        switch (field)
        {
            case FlowField.Version:
                if (!Utf8Number.TryParseBounded(value, int.MaxValue, out small)) return ValueError.Value;
                record.Version = small;
                return ValueError.None;
            case FlowField.AccountId:
                if (!IsAccountId(value)) return ValueError.Value;
                record.AccountId = Interner.Intern(value);
                return ValueError.None;
            case FlowField.SrcAddr:
                if (!AddressParser.TryParse(value, out address)) return ValueError.Value;
                record.SrcAddr = address;
                return ValueError.None;
            case FlowField.DstAddr:
                if (!AddressParser.TryParse(value, out address)) return ValueError.Value;
                record.DstAddr = address;
                return ValueError.None;
            case FlowField.PktSrcAddr:
                if (!AddressParser.TryParse(value, out address)) return ValueError.Value;
                record.PktSrcAddr = address;
                return ValueError.None;
            case FlowField.PktDstAddr:
                if (!AddressParser.TryParse(value, out address)) return ValueError.Value;
                record.PktDstAddr = address;
                return ValueError.None;
            case FlowField.SrcPort:
                if (!Utf8Number.TryParseBounded(value, 65535, out small)) return ValueError.Value;
                record.SrcPort = small;
                return ValueError.None;
            case FlowField.DstPort:
                if (!Utf8Number.TryParseBounded(value, 65535, out small)) return ValueError.Value;
                record.DstPort = small;
                return ValueError.None;
            case FlowField.Protocol:
                if (!Utf8Number.TryParseBounded(value, 255, out small)) return ValueError.Value;
                record.Protocol = small;
                return ValueError.None;
            case FlowField.TcpFlags:
                if (!Utf8Number.TryParseBounded(value, 255, out small)) return ValueError.Value;
                record.TcpFlags = small;
                return ValueError.None;
            case FlowField.TrafficPath:
                if (!Utf8Number.TryParseBounded(value, 8, out small) || small == 0) return ValueError.Value;
                record.TrafficPath = small;
                return ValueError.None;
            case FlowField.Packets:
                if (!Utf8Number.TryParseNonNegative(value, out large)) return ValueError.Value;
                record.Packets = large;
                return ValueError.None;
            case FlowField.Bytes:
                if (!Utf8Number.TryParseNonNegative(value, out large)) return ValueError.Value;
                record.Bytes = large;
                return ValueError.None;
            case FlowField.Start:
                if (!Utf8Number.TryParseInt64(value, out large)) return ValueError.Value;
                record.Start = large;
                return ValueError.None;
            case FlowField.End:
                if (!Utf8Number.TryParseInt64(value, out large)) return ValueError.Value;
                record.End = large;
                return ValueError.None;
            case FlowField.Action:
                var action = FlowEnumText.ParseAction(value);
                if (action == FlowAction.None) return ValueError.Value;
                record.Action = action;
                return ValueError.None;
            case FlowField.LogStatus:
                var status = FlowEnumText.ParseLogStatus(value);
                if (status == LogStatus.None) return ValueError.Value;
                record.LogStatus = status;
                return ValueError.None;
            case FlowField.Type:
                var type = FlowEnumText.ParseTrafficType(value);
                if (type == TrafficType.None) return ValueError.Value;
                record.Type = type;
                return ValueError.None;
            case FlowField.FlowDirection:
                var direction = FlowEnumText.ParseFlowDirection(value);
                if (direction == FlowDirection.None) return ValueError.Value;
                record.FlowDirection = direction;
                return ValueError.None;
            default:
                return ParseStringValue(field, value, ref record);
        }
    }

    private ValueError ParseStringValue(FlowField field, ReadOnlySpan<byte> value, ref FlowRecord record)
    {
        // Printable ASCII is the norm; anything else must be valid UTF-8 without control characters.
        if (value.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0 && !IsPrintableUtf8(value)) return ValueError.Text;
        var text = Interner.Intern(value);
        switch (field)
        {
            case FlowField.InterfaceId: record.InterfaceId = text; break;
            case FlowField.VpcId: record.VpcId = text; break;
            case FlowField.SubnetId: record.SubnetId = text; break;
            case FlowField.InstanceId: record.InstanceId = text; break;
            case FlowField.Region: record.Region = text; break;
            case FlowField.AzId: record.AzId = text; break;
            case FlowField.SublocationType: record.SublocationType = text; break;
            case FlowField.SublocationId: record.SublocationId = text; break;
            case FlowField.PktSrcAwsService: record.PktSrcAwsService = text; break;
            case FlowField.PktDstAwsService: record.PktDstAwsService = text; break;
            case FlowField.EcsClusterArn: record.EcsClusterArn = text; break;
            case FlowField.EcsClusterName: record.EcsClusterName = text; break;
            case FlowField.EcsContainerInstanceArn: record.EcsContainerInstanceArn = text; break;
            case FlowField.EcsContainerInstanceId: record.EcsContainerInstanceId = text; break;
            case FlowField.EcsContainerId: record.EcsContainerId = text; break;
            case FlowField.EcsSecondContainerId: record.EcsSecondContainerId = text; break;
            case FlowField.EcsServiceName: record.EcsServiceName = text; break;
            case FlowField.EcsTaskDefinitionArn: record.EcsTaskDefinitionArn = text; break;
            case FlowField.EcsTaskArn: record.EcsTaskArn = text; break;
            case FlowField.EcsTaskId: record.EcsTaskId = text; break;
            case FlowField.RejectReason: record.RejectReason = text; break;
            default: return ValueError.Value; // unreachable: every other field has its own case
        }
        return ValueError.None;
    }

    private static bool IsAccountId(ReadOnlySpan<byte> value) =>
        value.Length == 12 ? value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0 : value.SequenceEqual("unknown"u8);

    private static bool IsPrintableUtf8(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (b < 0x21 || b == 0x7F) return false;
        }
        return Utf8.IsValid(value);
    }

    private static string DescribeError(FlowField field, ValueError error, ReadOnlySpan<byte> value)
    {
        var shown = ShowText(value, 64);
        if (error == ValueError.Text)
            return $"expected printable UTF-8 text without control characters, found '{shown}'";
        var expected = field switch
        {
            FlowField.Version => "a non-negative version number",
            FlowField.AccountId => "a 12-digit account id or 'unknown'",
            FlowField.SrcAddr or FlowField.DstAddr or FlowField.PktSrcAddr or FlowField.PktDstAddr => "an IPv4 or IPv6 address",
            FlowField.SrcPort or FlowField.DstPort => "a port number 0-65535",
            FlowField.Protocol => "an IANA protocol number 0-255",
            FlowField.TcpFlags => "a tcp-flags bitmask 0-255",
            FlowField.TrafficPath => "a traffic path 1-8",
            FlowField.Packets or FlowField.Bytes => "a non-negative 64-bit count",
            FlowField.Start or FlowField.End => "Unix seconds (a 64-bit integer)",
            FlowField.Action => "ACCEPT or REJECT",
            FlowField.LogStatus => "OK, NODATA or SKIPDATA",
            FlowField.Type => "IPv4, IPv6 or EFA",
            FlowField.FlowDirection => "ingress or egress",
            _ => "a non-empty value",
        };
        return $"expected {expected}, found '{shown}'";
    }
}
