using FlowMesh.Aggregation.Batching;
using FlowMesh.Grains;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FlowMesh.Query;

/// <summary>
/// Healthy when the aggregation cluster answers a cheap grain call in time: a query role that
/// cannot reach its grains should leave the load balancer rather than answer UNAVAILABLE.
/// </summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public const string Name = "flowmesh-query-cluster";

    /// <summary>The readiness tag of the service defaults (HealthEndpoints.ReadyTag).</summary>
    public const string ReadyTag = "ready";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard(LeaderboardScope.All)).GetVersionAsync()
                .WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the aggregation cluster did not answer within {Timeout.TotalSeconds:0} s", ex);
        }
    }
}
