using System.CommandLine;
using FlowMesh.Cli.Querying;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Cli.Commands;

/// <summary><c>flowmesh eni &lt;interface-id&gt; [--window 5m] [--limit 10] [--json]</c>: what FlowMesh knows about one network interface.</summary>
internal static class EniCommand
{
    public static Command Create(CliConsole console)
    {
        var interfaceId = new Argument<string>("interface-id") { Description = "The interface id, e.g. eni-0a1b2c3d4e5f67890." };
        var window = new Option<string?>("--window", "-w") { Description = "1m, 5m (default), 15m or 60m." };
        var limit = new Option<uint?>("--limit", "-n") { Description = "Entries per list, 1..100 (default 10)." };
        var server = QueryVerb.ServerOption();
        var json = QueryVerb.JsonOption();
        var command = new Command("eni", "Describe one network interface: totals, reject rate, peers, ports, protocols.") { interfaceId, window, limit, server, json };
        command.SetAction((parseResult, cancellationToken) => QueryVerb.RunAsync(console, "eni", parseResult.GetValue(server)!, async client =>
        {
            var request = new V1.DescribeInterfaceRequest
            {
                InterfaceId = parseResult.GetValue(interfaceId)!,
                Window = QueryNames.ParseWindow(parseResult.GetValue(window)),
                Limit = parseResult.GetValue(limit) ?? 0,
            };
            var summary = await client.DescribeInterfaceAsync(request, deadline: QueryVerb.Deadline(), cancellationToken: cancellationToken);
            if (parseResult.GetValue(json)) await console.Out.WriteLineAsync(QueryJson.Serialize(QueryJson.From(summary)));
            else SpectreConsoles.Create(console).Write(SummaryView.Render(summary));
            await console.Out.FlushAsync(cancellationToken);
            return 0;
        }, cancellationToken));
        return command;
    }
}
