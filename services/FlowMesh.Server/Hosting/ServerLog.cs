namespace FlowMesh.Server.Hosting;

/// <summary>Log lines of the server host (source-generated; sequential event ids).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "FlowMesh started with roles: {Roles}")]
    public static partial void Started(ILogger logger, string roles);

    [LoggerMessage(2, LogLevel.Information, "Firehose endpoint: POST {Url}")]
    public static partial void FirehoseEndpoint(ILogger logger, string url);

    [LoggerMessage(3, LogLevel.Information, "gRPC query service (HTTP/2): {Url}")]
    public static partial void QueryPort(ILogger logger, string url);

    [LoggerMessage(4, LogLevel.Information, "Health: {Url}/health/live and {Url}/health/ready; Prometheus metrics: {Url}/metrics")]
    public static partial void Health(ILogger logger, string url);

    [LoggerMessage(5, LogLevel.Information, "Try: flowmesh top --metric rejects{ServerArgument}   or   flowmesh watch --dimension srcaddr --metric bytes{ServerArgument}")]
    public static partial void NextCommands(ILogger logger, string serverArgument);

    [LoggerMessage(6, LogLevel.Information, "Demo mode: feeding {RecordsPerSecond} synthetic flow records/s to {Endpoint} (seed {Seed}, scale {Scale})")]
    public static partial void DemoFeeding(ILogger logger, int recordsPerSecond, string endpoint, int seed, int scale);

    [LoggerMessage(7, LogLevel.Warning, "Demo delivery failed with HTTP {StatusCode}: {Error} ({Failures} failed so far)")]
    public static partial void DemoDeliveryFailed(ILogger logger, int statusCode, string error, int failures);

    // The key is generated for this run only (never a configured secret) and is printed so the user can replay files.
    [LoggerMessage(8, LogLevel.Information, "Demo access key, generated for this run (set FlowMesh:Ingest:AccessKey to choose one): {AccessKey}. Send your own files: flowmesh replay FILE --endpoint {Endpoint} --access-key {AccessKey}")]
    public static partial void DemoGeneratedAccessKey(ILogger logger, string accessKey, string endpoint);

    [LoggerMessage(9, LogLevel.Information, "Demo deliveries use the configured FlowMesh:Ingest:AccessKey. Send your own files: flowmesh replay FILE --endpoint {Endpoint} (key in FLOWMESH_ACCESS_KEY)")]
    public static partial void DemoConfiguredAccessKey(ILogger logger, string endpoint);

    [LoggerMessage(10, LogLevel.Warning, "Benchmark diagnostic on: POST {Url} deactivates every address, interface and leaderboard grain of this silo to measure its memory (in-memory state is lost without a journal). Never enable FlowMesh:Diagnostics:GrainMemoryProbe in production.")]
    public static partial void GrainMemoryProbeEnabled(ILogger logger, string url);
}
