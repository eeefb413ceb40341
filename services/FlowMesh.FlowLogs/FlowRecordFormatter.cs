using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FlowMesh.FlowLogs;

/// <summary>Writes records back out: as a flow-log line of a given format, or as one JSON object keyed by AWS field names.</summary>
public static class FlowRecordFormatter
{
    private static readonly JsonEncodedText[] JsonNames =
        FlowFieldInfo.All.Select(field => JsonEncodedText.Encode(FlowFieldInfo.Name(field))).ToArray();

    /// <summary>The record as AWS would write it in <paramref name="format"/>: absent fields as '-', enums in AWS text.</summary>
    public static string FormatLine(in FlowRecord record, FlowLogFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var sb = new StringBuilder(128);
        foreach (var field in format.Fields)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(FormatValue(in record, field));
        }
        return sb.ToString();
    }

    /// <summary>One field's text as it appears in a flow-log line; "-" when absent.</summary>
    public static string FormatValue(in FlowRecord record, FlowField field)
    {
        if (!record.Has(field)) return "-";
        var c = CultureInfo.InvariantCulture;
        return field switch
        {
            FlowField.Version => record.Version.ToString(c),
            FlowField.SrcAddr => record.SrcAddr.ToString(),
            FlowField.DstAddr => record.DstAddr.ToString(),
            FlowField.PktSrcAddr => record.PktSrcAddr.ToString(),
            FlowField.PktDstAddr => record.PktDstAddr.ToString(),
            FlowField.SrcPort => record.SrcPort.ToString(c),
            FlowField.DstPort => record.DstPort.ToString(c),
            FlowField.Protocol => record.Protocol.ToString(c),
            FlowField.Packets => record.Packets.ToString(c),
            FlowField.Bytes => record.Bytes.ToString(c),
            FlowField.Start => record.Start.ToString(c),
            FlowField.End => record.End.ToString(c),
            FlowField.TcpFlags => record.TcpFlags.ToString(c),
            FlowField.TrafficPath => record.TrafficPath.ToString(c),
            FlowField.Action => FlowEnumText.ToText(record.Action),
            FlowField.LogStatus => FlowEnumText.ToText(record.LogStatus),
            FlowField.Type => FlowEnumText.ToText(record.Type),
            FlowField.FlowDirection => FlowEnumText.ToText(record.FlowDirection),
            _ => StringValue(in record, field) ?? "-",
        };
    }

    /// <summary>
    /// Writes one JSON object: present fields only, keyed by AWS name (<c>srcaddr</c>, <c>log-status</c>…),
    /// counters and ports as numbers, addresses, ids and enums as strings.
    /// </summary>
    public static void WriteJson(Utf8JsonWriter writer, in FlowRecord record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        for (var i = 0; i < FlowFieldInfo.Count; i++)
        {
            var field = (FlowField)i;
            if (!record.Has(field)) continue;
            var name = JsonNames[i];
            switch (field)
            {
                case FlowField.Version: writer.WriteNumber(name, record.Version); break;
                case FlowField.SrcPort: writer.WriteNumber(name, record.SrcPort); break;
                case FlowField.DstPort: writer.WriteNumber(name, record.DstPort); break;
                case FlowField.Protocol: writer.WriteNumber(name, record.Protocol); break;
                case FlowField.Packets: writer.WriteNumber(name, record.Packets); break;
                case FlowField.Bytes: writer.WriteNumber(name, record.Bytes); break;
                case FlowField.Start: writer.WriteNumber(name, record.Start); break;
                case FlowField.End: writer.WriteNumber(name, record.End); break;
                case FlowField.TcpFlags: writer.WriteNumber(name, record.TcpFlags); break;
                case FlowField.TrafficPath: writer.WriteNumber(name, record.TrafficPath); break;
                default: writer.WriteString(name, FormatValue(in record, field)); break;
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>The value of a string-typed field (ids, names, reject-reason); null for other fields.</summary>
    public static string? StringValue(in FlowRecord record, FlowField field) => field switch
    {
        FlowField.AccountId => record.AccountId,
        FlowField.InterfaceId => record.InterfaceId,
        FlowField.VpcId => record.VpcId,
        FlowField.SubnetId => record.SubnetId,
        FlowField.InstanceId => record.InstanceId,
        FlowField.Region => record.Region,
        FlowField.AzId => record.AzId,
        FlowField.SublocationType => record.SublocationType,
        FlowField.SublocationId => record.SublocationId,
        FlowField.PktSrcAwsService => record.PktSrcAwsService,
        FlowField.PktDstAwsService => record.PktDstAwsService,
        FlowField.EcsClusterArn => record.EcsClusterArn,
        FlowField.EcsClusterName => record.EcsClusterName,
        FlowField.EcsContainerInstanceArn => record.EcsContainerInstanceArn,
        FlowField.EcsContainerInstanceId => record.EcsContainerInstanceId,
        FlowField.EcsContainerId => record.EcsContainerId,
        FlowField.EcsSecondContainerId => record.EcsSecondContainerId,
        FlowField.EcsServiceName => record.EcsServiceName,
        FlowField.EcsTaskDefinitionArn => record.EcsTaskDefinitionArn,
        FlowField.EcsTaskArn => record.EcsTaskArn,
        FlowField.EcsTaskId => record.EcsTaskId,
        FlowField.RejectReason => record.RejectReason,
        _ => null,
    };
}
