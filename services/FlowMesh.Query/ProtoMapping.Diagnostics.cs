using FlowMesh.Aggregation;
using FlowMesh.Alerts.Diagnostics;
using FlowMesh.FlowLogs;
using FlowMesh.Grains;
using Google.Protobuf.WellKnownTypes;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Query;

/// <summary>A validated diagnosis request.</summary>
internal readonly record struct DiagnosisQuestion(FlowAddress Client, FlowAddress Server, int? Port, int? Protocol);

internal static partial class ProtoMapping
{
    public static DiagnosisQuestion ToDiagnosis(V1.DiagnoseConnectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = ToAddress(request.Source, "source");
        var server = ToAddress(request.Destination, "destination");
        if (client == server) throw new QueryValidationException($"destination: '{request.Destination}' is the source itself; give the two ends of the connection");
        int? port = null;
        if (request.HasPort)
        {
            if (request.Port > 65535) throw new QueryValidationException($"port: {request.Port} is not a port (0..65535)");
            port = (int)request.Port;
        }
        int? protocol = null;
        if (!string.IsNullOrWhiteSpace(request.Protocol))
        {
            protocol = ProtocolNames.TryParse(request.Protocol, out var number)
                ? number
                : throw new QueryValidationException($"protocol: '{request.Protocol}' is not tcp, udp, icmp, icmpv6, gre, esp or a protocol number 0..255");
        }
        return new DiagnosisQuestion(client, server, port, protocol);
    }

    public static V1.ConnectionDiagnosis ToProto(Diagnosis diagnosis, IReadOnlyList<ConnectionRecord> records)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        var byObservation = records.ToDictionary(ConnectionEvidenceMerge.ToObservation);
        var result = new V1.ConnectionDiagnosis
        {
            Verdict = diagnosis.Verdict switch
            {
                DiagnosisVerdict.AllowedBothWays => V1.DiagnosisVerdict.AllowedBothWays,
                DiagnosisVerdict.RequestRejected => V1.DiagnosisVerdict.RequestRejected,
                DiagnosisVerdict.ReplyRejected => V1.DiagnosisVerdict.ReplyRejected,
                DiagnosisVerdict.BlockPublicAccess => V1.DiagnosisVerdict.BlockPublicAccess,
                DiagnosisVerdict.NoRecords => V1.DiagnosisVerdict.NoRecords,
                DiagnosisVerdict.NoReplySeen => V1.DiagnosisVerdict.NoReplySeen,
                _ => V1.DiagnosisVerdict.Unspecified,
            },
            Conclusion = diagnosis.Conclusion,
        };
        result.Evidence.AddRange(diagnosis.Evidence);
        result.NextSteps.AddRange(diagnosis.NextSteps);
        result.Requests.AddRange(diagnosis.Requests.Select(o => ToProto(byObservation[o])));
        result.Replies.AddRange(diagnosis.Replies.Select(o => ToProto(byObservation[o])));
        return result;
    }

    private static V1.ConnectionEvidence ToProto(ConnectionRecord r) => new()
    {
        InterfaceId = r.InterfaceId ?? "",
        Source = r.Source.ToString(),
        Destination = r.Destination.ToString(),
        SourcePort = r.SourcePort,
        DestinationPort = r.DestinationPort,
        HighestDestinationPort = r.HighestDestinationPort,
        Protocol = r.Protocol,
        Action = r.Action switch { FlowAction.Accept => V1.FlowAction.Accept, FlowAction.Reject => V1.FlowAction.Reject, _ => V1.FlowAction.Unspecified },
        Direction = r.Direction switch { FlowDirection.Ingress => "ingress", FlowDirection.Egress => "egress", _ => "" },
        RejectReason = r.RejectReason ?? "",
        TcpFlags = (uint)Math.Max(0, r.TcpFlags),
        Flows = (ulong)Math.Max(0, r.Flows),
        Packets = (ulong)Math.Max(0, r.Packets),
        Bytes = (ulong)Math.Max(0, r.Bytes),
        FirstSeen = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds(r.FirstMinute * 60)),
        LastSeen = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds((r.LastMinute * 60) + 59)),
    };
}
