namespace FlowMesh.Server.Cluster;

/// <summary>
/// Log lines of the cluster wiring (source-generated). Event ids start at 100 so they never collide
/// with the host's own <c>ServerLog</c> (1–99), which another part of the server owns.
/// </summary>
internal static partial class ClusterLog
{
    [LoggerMessage(100, LogLevel.Information, "Orleans {Kind} uses {Provider} clustering (cluster '{ClusterId}', service '{ServiceId}')")]
    public static partial void Clustering(ILogger logger, string kind, ClusterProvider provider, string clusterId, string serviceId);

    [LoggerMessage(101, LogLevel.Warning, "No Orleans gateway answered yet ({Reason}); retrying in {DelaySeconds} s, giving up after {TimeoutSeconds} s")]
    public static partial void GatewayConnectRetry(ILogger logger, string reason, double delaySeconds, double timeoutSeconds);

    [LoggerMessage(102, LogLevel.Error, "No Orleans gateway answered within {TimeoutSeconds} s; is a silo running with the same FlowMesh:Cluster settings?")]
    public static partial void GatewayConnectGaveUp(ILogger logger, double timeoutSeconds);

    [LoggerMessage(103, LogLevel.Information, "Grain journal: {Journal} (None: aggregation state lives in memory only and a silo that dies loses its grains' last hour; Redis: every acknowledged flush is replayed on reactivation)")]
    public static partial void Journal(ILogger logger, string journal);
}
