using FlowMesh.Grains;
using Google.Protobuf.WellKnownTypes;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Query;

/// <summary>Mapping of the ingest-error inspection messages (partial by concern; see <c>ProtoMapping.cs</c>).</summary>
internal static partial class ProtoMapping
{
    public const int DefaultIngestErrorExamples = 20;
    public const int MaxIngestErrorExamples = 1000;

    public static int ToIngestErrorsLimit(V1.GetIngestErrorsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Limit switch
        {
            0 => DefaultIngestErrorExamples,
            <= MaxIngestErrorExamples => (int)request.Limit,
            _ => throw new QueryValidationException($"limit: {request.Limit} is outside 1..{MaxIngestErrorExamples}"),
        };
    }

    public static V1.IngestErrors ToProto(IngestErrorSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var result = new V1.IngestErrors { Total = summary.Total, IngestProcesses = summary.IngestProcesses };
        result.Counts.AddRange(summary.Counts.Select(c => new V1.IngestErrorCount { Source = c.Source, Reason = c.Reason, Count = c.Count }));
        result.Latest.AddRange(summary.Latest.Select(e => new V1.IngestErrorExample
        {
            ReceivedAt = Timestamp.FromDateTimeOffset(e.ReceivedAt),
            Source = e.Source,
            RequestId = e.RequestId,
            RecordIndex = e.RecordIndex,
            LineNumber = e.LineNumber,
            Reason = e.Reason,
            Field = e.Field ?? "",
            Message = e.Message,
            Text = e.Text,
        }));
        return result;
    }
}
