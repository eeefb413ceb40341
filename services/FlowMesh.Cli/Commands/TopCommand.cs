using System.CommandLine;
using FlowMesh.Cli.Querying;

namespace FlowMesh.Cli.Commands;

/// <summary><c>flowmesh top [--scope …] [--dimension …] [--metric …] [--window 5m] [--limit 10] [filters] [--json]</c>: the top contributors now.</summary>
internal static class TopCommand
{
    public static Command Create(CliConsole console)
    {
        var query = new TopQueryOptions();
        var server = QueryVerb.ServerOption();
        var json = QueryVerb.JsonOption();
        var command = new Command("top", "Show the top contributors of a scope over a window.");
        query.AddTo(command);
        command.Options.Add(server);
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) => QueryVerb.RunAsync(console, "top", parseResult.GetValue(server)!, async client =>
        {
            var request = query.ToRequest(parseResult);
            var snapshot = await client.GetTopContributorsAsync(request, deadline: QueryVerb.Deadline(), cancellationToken: cancellationToken);
            if (parseResult.GetValue(json)) await console.Out.WriteLineAsync(QueryJson.Serialize(QueryJson.From(snapshot)));
            else SpectreConsoles.Create(console).Write(SnapshotView.Render(snapshot));
            await console.Out.FlushAsync(cancellationToken);
            return 0;
        }, cancellationToken));
        return command;
    }
}
