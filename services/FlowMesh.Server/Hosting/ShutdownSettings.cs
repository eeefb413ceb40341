namespace FlowMesh.Server.Hosting;

/// <summary>How long a stop (Ctrl-C, SIGTERM) may take before the host gives up on graceful shutdown.</summary>
public static class ShutdownSettings
{
    /// <summary>
    /// Host configuration key of the .NET host (seconds). Unset, FlowMesh uses
    /// <see cref="DefaultTimeout"/> instead of the host's 30 s.
    /// </summary>
    public const string TimeoutKey = "shutdownTimeoutSeconds";

    /// <summary>
    /// Enough for the demo feeder to stop, the group commit to answer waiting deliveries 503
    /// (Firehose retries them) and the silo to leave the cluster, well inside Kubernetes' 30 s
    /// grace period; nothing FlowMesh holds needs longer, because state is not persisted on stop.
    /// </summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static IHostApplicationBuilder AddFlowMeshShutdown(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Configuration[TimeoutKey] is null)
            builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = DefaultTimeout);
        return builder;
    }
}
