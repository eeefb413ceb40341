using System.CommandLine;
using FlowMesh.Cli.Querying;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Cli.Commands;

/// <summary><c>flowmesh ip &lt;address&gt; [--window 5m] [--limit 10] [--json]</c>: what FlowMesh knows about one IP address, as source and as destination.</summary>
internal static class IpCommand
{
    public static Command Create(CliConsole console)
    {
        var address = new Argument<string>("address") { Description = "An IPv4 or IPv6 address." };
        var window = new Option<string?>("--window", "-w") { Description = "1m, 5m (default), 15m or 60m." };
        var limit = new Option<uint?>("--limit", "-n") { Description = "Entries per list, 1..100 (default 10)." };
        var server = QueryVerb.ServerOption();
        var json = QueryVerb.JsonOption();
        var command = new Command("ip", "Describe one IP address: its traffic as source and as destination.") { address, window, limit, server, json };
        command.SetAction((parseResult, cancellationToken) => QueryVerb.RunAsync(console, "ip", parseResult.GetValue(server)!, async client =>
        {
            var request = new V1.DescribeAddressRequest
            {
                Address = parseResult.GetValue(address)!,
                Window = QueryNames.ParseWindow(parseResult.GetValue(window)),
                Limit = parseResult.GetValue(limit) ?? 0,
            };
            var summary = await client.DescribeAddressAsync(request, deadline: QueryVerb.Deadline(), cancellationToken: cancellationToken);
            if (parseResult.GetValue(json)) await console.Out.WriteLineAsync(QueryJson.Serialize(QueryJson.From(summary)));
            else SpectreConsoles.Create(console).Write(SummaryView.Render(summary));
            await console.Out.FlushAsync(cancellationToken);
            return 0;
        }, cancellationToken));
        return command;
    }
}
