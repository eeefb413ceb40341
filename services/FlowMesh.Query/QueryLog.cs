using Microsoft.Extensions.Logging;

namespace FlowMesh.Query;

/// <summary>Log messages of the query role (source-generated; sequential event ids).</summary>
internal static partial class QueryLog
{
    [LoggerMessage(1, LogLevel.Debug, "Started a poller for {Scope} {Dimension} by {Metric} over {Window}m every {IntervalMs} ms")]
    public static partial void PollerStarted(ILogger logger, string scope, Aggregation.Dimension dimension, Aggregation.Metric metric, int window, double intervalMs);

    [LoggerMessage(2, LogLevel.Debug, "Stopped the poller for {Scope} {Dimension} by {Metric} over {Window}m: its last subscriber left")]
    public static partial void PollerStopped(ILogger logger, string scope, Aggregation.Dimension dimension, Aggregation.Metric metric, int window);

    [LoggerMessage(3, LogLevel.Warning, "The poller for {Scope} failed; its {Subscribers} subscriber(s) are told and may resubscribe")]
    public static partial void PollerFailed(ILogger logger, Exception exception, string scope, int subscribers);

    [LoggerMessage(4, LogLevel.Debug, "{Method}: invalid request: {Problem}")]
    public static partial void InvalidRequest(ILogger logger, string method, string problem);

    [LoggerMessage(5, LogLevel.Warning, "{Method}: the aggregation cluster is unavailable")]
    public static partial void ClusterUnavailable(ILogger logger, Exception exception, string method);

    [LoggerMessage(6, LogLevel.Error, "{Method}: unexpected failure")]
    public static partial void UnexpectedFailure(ILogger logger, Exception exception, string method);

    [LoggerMessage(7, LogLevel.Debug, "{Method}: ended with {Status} ({Detail})")]
    public static partial void CallEnded(ILogger logger, string method, Grpc.Core.StatusCode status, string detail);
}
