using Microsoft.Extensions.Logging;

namespace FlowMesh.Ingest.Pipeline;

/// <summary>Source-generated log methods of the group commit (event ids 100+; the endpoint's IngestLog uses lower ids).</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Flush {FlushId}: {Requests} requests, {Records} records, {Rows} rows, {GrainCalls} grain calls applied in {ElapsedMs:F1} ms")]
    public static partial void FlushApplied(ILogger logger, Guid flushId, int requests, int records, int rows, int grainCalls, double elapsedMs);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Flush {FlushId}: {Failed} of {GrainCalls} grain calls failed; {Requests} requests answered 503 and kept pending for retry")]
    public static partial void FlushPartlyFailed(ILogger logger, Guid flushId, int failed, int grainCalls, int requests, Exception? firstError);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Pending flush {FlushId} completed after retry ({Requests} requests)")]
    public static partial void PendingFlushCompleted(ILogger logger, Guid flushId, int requests);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Pending flush {FlushId} abandoned after {Age}: {Remaining} grain calls never succeeded; those views miss its data")]
    public static partial void PendingFlushAbandoned(ILogger logger, Guid flushId, TimeSpan age, int remaining);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Overloaded: {Queued} requests already wait for a flush; request {RequestId} answered 503")]
    public static partial void Overloaded(ILogger logger, int queued, string requestId);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Flush {FlushId} failed unexpectedly")]
    public static partial void FlushCrashed(ILogger logger, Guid flushId, Exception exception);
}
