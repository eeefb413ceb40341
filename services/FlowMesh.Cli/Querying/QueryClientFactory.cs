using Grpc.Net.Client;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Cli.Querying;

/// <summary>Connects the CLI to a query service: plain HTTP/2 (h2c) to --server, FLOWMESH_SERVER or the local default.</summary>
internal static class QueryClientFactory
{
    public const string ServerVariable = "FLOWMESH_SERVER";
    public const string DefaultServer = "http://127.0.0.1:50051";

    /// <summary>The server to use when --server is not given.</summary>
    public static string DefaultFromEnvironment() =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultServer;

    /// <summary>Parses a server address; "host:port" without a scheme means http://host:port.</summary>
    public static Uri ParseServer(string text)
    {
        var candidate = text.Contains("://", StringComparison.Ordinal) ? text.Trim() : "http://" + text.Trim();
        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            throw new FormatException($"--server: '{text}' is not a URL such as {DefaultServer}");
        return uri;
    }

    public static GrpcChannel CreateChannel(Uri server) => GrpcChannel.ForAddress(server, new GrpcChannelOptions
    {
        // Streams stay open for as long as the user watches; keep-alive pings notice a dead server.
        HttpHandler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = true,
        },
    });

    public static V1.FlowMeshQuery.FlowMeshQueryClient CreateClient(GrpcChannel channel) => new(channel);
}
