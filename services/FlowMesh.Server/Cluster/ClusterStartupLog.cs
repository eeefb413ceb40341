namespace FlowMesh.Server.Cluster;

/// <summary>Says at start which membership provider and cluster this process joins (never the connection string).</summary>
internal sealed class ClusterStartupLog(ILogger<ClusterStartupLog> logger, string kind, ClusterProvider provider, FlowMeshClusterOptions options, string? journal)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        ClusterLog.Clustering(logger, kind, provider, options.ClusterId, options.ServiceId);
        if (journal is not null) ClusterLog.Journal(logger, journal);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
