using System.CommandLine;
using FlowMesh.Cli.Querying;
using Grpc.Core;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Cli.Commands;

/// <summary>
/// What every query verb shares: --server and --json, connecting, and turning failures into one
/// line on stderr with exit codes 2 (bad request), 3 (unreachable), 4 (not found).
/// </summary>
internal static class QueryVerb
{
    public static Option<string> ServerOption() => new("--server")
    {
        Description = $"The query service (default {QueryClientFactory.DefaultServer}, or ${QueryClientFactory.ServerVariable}).",
        DefaultValueFactory = _ => QueryClientFactory.DefaultFromEnvironment(),
    };

    public static Option<bool> JsonOption(string description = "Print JSON (stable snake_case field names, numbers as numbers).") =>
        new("--json") { Description = description };

    /// <summary>Runs <paramref name="request"/> against the server; cancellation (Ctrl-C) ends it cleanly with exit 0.</summary>
    public static async Task<int> RunAsync(
        CliConsole console, string verb, string serverText, Func<V1.FlowMeshQuery.FlowMeshQueryClient, Task<int>> request,
        CancellationToken cancellationToken)
    {
        Uri server;
        try
        {
            server = QueryClientFactory.ParseServer(serverText);
        }
        catch (FormatException e)
        {
            await console.Error.WriteLineAsync($"flowmesh {verb}: {e.Message}");
            return CliApp.UsageError;
        }

        using var channel = QueryClientFactory.CreateChannel(server);
        try
        {
            return await request(QueryClientFactory.CreateClient(channel));
        }
        catch (FormatException e)
        {
            await console.Error.WriteLineAsync($"flowmesh {verb}: {e.Message}");
            return CliApp.UsageError;
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            return 0;
        }
        catch (RpcException e)
        {
            return await QueryFailure.ReportAsync(console, verb, server, e);
        }
    }

    /// <summary>Unary calls get a deadline so a stuck server cannot hang a script.</summary>
    public static DateTime Deadline() => DateTime.UtcNow.AddSeconds(30);
}
