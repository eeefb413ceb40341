using System.CommandLine;
using FlowMesh.Cli.Querying;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Spectre.Console;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Cli.Commands;

/// <summary>
/// <c>flowmesh watch …top options… [--interval 1s] [--json]</c>: a live table redrawn on every
/// stream update (or one JSON object per update with --json). Ctrl-C ends it with exit 0.
/// </summary>
internal static class WatchCommand
{
    public static Command Create(CliConsole console)
    {
        var query = new TopQueryOptions();
        var interval = new Option<string?>("--interval", "-i") { Description = "How often the server checks for changes: 100ms..60s (default 1s)." };
        var server = QueryVerb.ServerOption();
        var json = QueryVerb.JsonOption("Print one JSON object per update (JSON Lines) instead of the live table.");
        var command = new Command("watch", "Watch the top contributors of a scope live.");
        query.AddTo(command);
        command.Options.Add(interval);
        command.Options.Add(server);
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) => QueryVerb.RunAsync(console, "watch", parseResult.GetValue(server)!, async client =>
        {
            var request = new V1.StreamTopContributorsRequest { Query = query.ToRequest(parseResult) };
            if (parseResult.GetValue(interval) is { } text) request.UpdateInterval = Duration.FromTimeSpan(QueryNames.ParseInterval(text));
            using var call = client.StreamTopContributors(request, cancellationToken: cancellationToken);
            var updates = call.ResponseStream.ReadAllAsync(cancellationToken);
            if (parseResult.GetValue(json)) await WriteJsonLinesAsync(console, updates, cancellationToken);
            else await ShowLiveAsync(console, updates, cancellationToken);
            // The server ended the stream (it is shutting down): say so, as for a lost connection.
            await console.Error.WriteLineAsync("flowmesh watch: the query service closed the stream");
            return QueryFailure.Unreachable;
        }, cancellationToken));
        return command;
    }

    private static async Task WriteJsonLinesAsync(CliConsole console, IAsyncEnumerable<V1.TopContributorsUpdate> updates, CancellationToken cancellationToken)
    {
        await foreach (var update in updates)
        {
            await console.Out.WriteLineAsync(QueryJson.Serialize(QueryJson.From(update.Snapshot, update.Sequence)));
            await console.Out.FlushAsync(cancellationToken);
        }
    }

    private static async Task ShowLiveAsync(CliConsole console, IAsyncEnumerable<V1.TopContributorsUpdate> updates, CancellationToken cancellationToken)
    {
        var ansi = SpectreConsoles.Create(console);
        if (!ansi.Profile.Capabilities.Interactive)
        {
            // Redirected output cannot be redrawn: print each update below the previous one.
            await foreach (var update in updates)
            {
                ansi.Write(SnapshotView.Render(update.Snapshot, update.Sequence));
                ansi.WriteLine();
                await console.Out.FlushAsync(cancellationToken);
            }
            return;
        }
        await ansi.Live(new Markup("[dim]waiting for the first snapshot…[/]")).AutoClear(false).StartAsync(async context =>
        {
            await foreach (var update in updates)
            {
                context.UpdateTarget(SnapshotView.Render(update.Snapshot, update.Sequence));
                context.Refresh();
                await console.Out.FlushAsync(cancellationToken);
            }
        });
    }
}
