using FlowMesh.FlowLogs;

namespace FlowMesh.Ingest.Firehose;

/// <summary>One malformed line or record kept for inspection: where it came from and why it was rejected.</summary>
/// <param name="ReceivedAt">When the delivery that carried it was applied.</param>
/// <param name="SourceArn">The Firehose stream (<c>X-Amz-Firehose-Source-Arn</c>), or <see cref="MalformedRecordLog.UnknownSource"/>.</param>
/// <param name="RequestId">The Firehose request id of the delivery.</param>
/// <param name="RecordIndex">Index of the record within the request's <c>records</c> array.</param>
/// <param name="Line">The reason, position, message and (truncated) text.</param>
public sealed record MalformedRecordExample(
    DateTimeOffset ReceivedAt,
    string SourceArn,
    string RequestId,
    int RecordIndex,
    MalformedLine Line);
