namespace FlowMesh.Server.Hosting;

/// <summary>Log lines of the server host (source-generated; sequential event ids).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "FlowMesh started with roles: {Roles}")]
    public static partial void Started(ILogger logger, string roles);

    [LoggerMessage(2, LogLevel.Information, "Firehose endpoint: POST {Url}")]
    public static partial void FirehoseEndpoint(ILogger logger, string url);

    [LoggerMessage(3, LogLevel.Information, "gRPC query port (HTTP/2): {Url}")]
    public static partial void QueryPort(ILogger logger, string url);

    [LoggerMessage(4, LogLevel.Information, "Health: {Url}/health/live and {Url}/health/ready; Prometheus metrics: {Url}/metrics")]
    public static partial void Health(ILogger logger, string url);
}
