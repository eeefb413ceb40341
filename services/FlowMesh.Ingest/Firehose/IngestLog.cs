using FlowMesh.FlowLogs;
using Microsoft.Extensions.Logging;

namespace FlowMesh.Ingest.Firehose;

/// <summary>Every log line of the ingest role (source-generated; event ids are sequential and stable).</summary>
internal static partial class IngestLog
{
    [LoggerMessage(1, LogLevel.Warning,
        "The Firehose endpoint accepts deliveries WITHOUT an access key (FlowMesh:Ingest:AllowInsecureNoAccessKey=true). Use this for local development only; set FlowMesh:Ingest:AccessKey in any shared environment.")]
    public static partial void InsecureNoAccessKey(ILogger logger);

    [LoggerMessage(2, LogLevel.Warning, "Firehose request {RequestId} rejected with {StatusCode}: {Reason}")]
    public static partial void RequestRejected(ILogger logger, string requestId, int statusCode, string reason);

    [LoggerMessage(3, LogLevel.Debug,
        "Firehose request {RequestId} applied: {Records} records, {Malformed} malformed, {ControlMessages} control messages in {ElapsedMs:F1} ms")]
    public static partial void DeliveryApplied(ILogger logger, string requestId, int records, int malformed, int controlMessages, double elapsedMs);

    [LoggerMessage(4, LogLevel.Information, "Firehose request {RequestId} was already applied; answered 200 without applying it again")]
    public static partial void DuplicateDelivery(ILogger logger, string requestId);

    [LoggerMessage(5, LogLevel.Debug, "Firehose request {RequestId} record {RecordIndex} from {SourceArn} is malformed: {Line}")]
    public static partial void MalformedRecord(ILogger logger, string requestId, int recordIndex, string sourceArn, MalformedLine line);

    [LoggerMessage(6, LogLevel.Warning,
        "Firehose request {RequestId} from {SourceArn} had {Malformed} malformed lines (first: {FirstReason} in record {RecordIndex})")]
    public static partial void MalformedRecordsInDelivery(ILogger logger, string requestId, string sourceArn, int malformed, MalformedReason firstReason, int recordIndex);

    [LoggerMessage(7, LogLevel.Warning, "Firehose request {RequestId} could not be applied; answered 503 so Firehose retries")]
    public static partial void DeliveryUnavailable(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "Firehose request {RequestId} was not applied within {Timeout}; answered 503 so Firehose retries")]
    public static partial void CommitTimedOut(ILogger logger, string requestId, TimeSpan timeout);

    [LoggerMessage(9, LogLevel.Error, "Firehose request {RequestId} failed unexpectedly; answered 500")]
    public static partial void UnexpectedFailure(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(10, LogLevel.Debug, "Firehose request {RequestId} was aborted by the client")]
    public static partial void RequestAborted(ILogger logger, string requestId);

    [LoggerMessage(11, LogLevel.Warning, "Could not report malformed-record counts to the cluster; retrying at the next interval")]
    public static partial void MalformedReportFailed(ILogger logger, Exception exception);
}
