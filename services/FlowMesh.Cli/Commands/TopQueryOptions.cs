using System.CommandLine;
using FlowMesh.Cli.Querying;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Cli.Commands;

/// <summary>The options top and watch share: what to rank, where, by what, over which window, with which filters.</summary>
internal sealed class TopQueryOptions
{
    public Option<string> Scope { get; } = new("--scope", "-s")
    {
        Description = "all | account:<id> | vpc:<id> | eni:<id> | ip:<address> (a bare eni-… or IP address works too).",
        DefaultValueFactory = _ => "all",
    };

    public Option<string?> Dimension { get; } = new("--dimension", "-d")
    {
        Description = "What to rank: srcaddr (default), dstaddr, interface, dstport, protocol, pair; peer and local for eni:/ip: scopes (peer is their default).",
    };

    public Option<string?> Metric { get; } = new("--metric", "-m") { Description = "Rank by bytes (default), packets, flows or rejects (rejected flows)." };

    public Option<string?> Window { get; } = new("--window", "-w") { Description = "1m, 5m (default), 15m or 60m." };

    public Option<uint?> Limit { get; } = new("--limit", "-n") { Description = "How many contributors, 1..100 (default 10)." };

    public Option<string?> Action { get; } = new("--action") { Description = "Only flows with this action: accept or reject." };

    public Option<string?> Protocol { get; } = new("--protocol") { Description = "Only flows of this protocol: tcp, udp, icmp, … or a number." };

    public Option<uint?> Port { get; } = new("--port") { Description = "Only flows to this destination port." };

    public TopQueryOptions()
    {
        Dimension.AcceptOnlyFromAmong(QueryNames.Dimensions);
        Metric.AcceptOnlyFromAmong(QueryNames.Metrics);
        Action.AcceptOnlyFromAmong(QueryNames.Actions);
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Scope);
        command.Options.Add(Dimension);
        command.Options.Add(Metric);
        command.Options.Add(Window);
        command.Options.Add(Limit);
        command.Options.Add(Action);
        command.Options.Add(Protocol);
        command.Options.Add(Port);
    }

    /// <summary>Builds the request; a value the CLI cannot read throws <see cref="FormatException"/> naming the option.</summary>
    public V1.TopContributorsRequest ToRequest(ParseResult parseResult)
    {
        var request = new V1.TopContributorsRequest
        {
            Scope = QueryNames.ParseScope(parseResult.GetValue(Scope)),
            Dimension = QueryNames.ParseDimension(parseResult.GetValue(Dimension)),
            Metric = QueryNames.ParseMetric(parseResult.GetValue(Metric)),
            Window = QueryNames.ParseWindow(parseResult.GetValue(Window)),
            Limit = parseResult.GetValue(Limit) ?? 0,
        };
        var action = parseResult.GetValue(Action);
        var protocol = parseResult.GetValue(Protocol);
        var port = parseResult.GetValue(Port);
        if (action is not null || protocol is not null || port is not null)
        {
            request.Filter = new V1.FlowFilter
            {
                Action = action switch { "accept" => V1.FlowAction.Accept, "reject" => V1.FlowAction.Reject, _ => V1.FlowAction.Unspecified },
            };
            if (protocol is not null) request.Filter.Protocol = QueryNames.ParseProtocol(protocol);
            if (port is { } p) request.Filter.DestinationPort = p;
        }
        return request;
    }
}
