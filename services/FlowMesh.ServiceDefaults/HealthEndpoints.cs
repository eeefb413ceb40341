namespace FlowMesh.ServiceDefaults;

/// <summary>Paths and tags of the health endpoints every role serves (Kubernetes probes use them).</summary>
public static class HealthEndpoints
{
    /// <summary>Liveness: answers 200 while the process runs; no checks are executed.</summary>
    public const string LivePath = "/health/live";

    /// <summary>Readiness: runs every check tagged <see cref="ReadyTag"/>.</summary>
    public const string ReadyPath = "/health/ready";

    /// <summary>Tag a health check carries to take part in readiness.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Prometheus scrape endpoint.</summary>
    public const string MetricsPath = "/metrics";
}
