using System.Net.Sockets;
using Grpc.Core;

namespace FlowMesh.Cli.Querying;

/// <summary>Turns a failed query into one line on stderr and the exit code scripts rely on.</summary>
internal static class QueryFailure
{
    /// <summary>The request was rejected (bad option value); same code as a usage error.</summary>
    public const int InvalidArgument = 2;

    /// <summary>The query service (or the cluster behind it) cannot be reached.</summary>
    public const int Unreachable = 3;

    /// <summary>The interface or address has not been seen.</summary>
    public const int NotFound = 4;

    /// <summary>Any other failure.</summary>
    public const int Failed = 1;

    public static async Task<int> ReportAsync(CliConsole console, string verb, Uri server, RpcException error)
    {
        var (message, code) = Describe(verb, server, error);
        await console.Error.WriteLineAsync(message);
        return code;
    }

    public static (string Message, int ExitCode) Describe(string verb, Uri server, RpcException error) => error.StatusCode switch
    {
        // A client-side failure (no connection at all) carries the local exception; a status the server sent does not.
        StatusCode.Unavailable when error.Status.DebugException is { } local =>
            ($"cannot reach the FlowMesh query service at {Display(server)}: {Reason(local)}; is the server running?", Unreachable),
        StatusCode.Unavailable => ($"flowmesh {verb}: the query service at {Display(server)} is up but cannot answer: {error.Status.Detail}", Unreachable),
        StatusCode.InvalidArgument => ($"flowmesh {verb}: {error.Status.Detail}", InvalidArgument),
        StatusCode.NotFound => ($"flowmesh {verb}: {error.Status.Detail}", NotFound),
        StatusCode.Unimplemented => ($"flowmesh {verb}: {Display(server)} does not serve the FlowMesh query API (is that the query port?)", Unreachable),
        StatusCode.DeadlineExceeded => ($"flowmesh {verb}: the query service at {Display(server)} did not answer in time", Unreachable),
        _ => ($"flowmesh {verb}: {error.StatusCode}: {error.Status.Detail}", Failed),
    };

    private static string Display(Uri server) => server.GetLeftPart(UriPartial.Authority);

    private static string Reason(Exception exception)
    {
        // The socket error says it best ("Connection refused"); wrappers add "Error starting gRPC call".
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket) return socket.Message;
        }
        var innermost = exception;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        return innermost.Message;
    }
}
