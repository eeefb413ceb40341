using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace FlowMesh.Server.Cluster;

/// <summary>
/// Lets a cluster client (ingest/query without a silo) start before the silos: the first connection
/// is retried every <see cref="RetryDelay"/> until <see cref="FlowMeshClusterOptions.GatewayConnectTimeout"/>.
/// Without it the client gives up at once and a rolling start of separate Deployments crash-loops.
/// </summary>
internal sealed class GatewayConnectRetryFilter(IOptions<FlowMeshClusterOptions> options, ILogger<GatewayConnectRetryFilter> logger)
    : IClientConnectionRetryFilter
{
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly long _started = Stopwatch.GetTimestamp();

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var timeout = options.Value.GatewayConnectTimeout;
        if (Stopwatch.GetElapsedTime(_started) >= timeout)
        {
            ClusterLog.GatewayConnectGaveUp(logger, timeout.TotalSeconds);
            return false;
        }
        ClusterLog.GatewayConnectRetry(logger, exception?.GetType().Name ?? "unknown", RetryDelay.TotalSeconds, timeout.TotalSeconds);
        await Task.Delay(RetryDelay, cancellationToken);
        return true;
    }
}
