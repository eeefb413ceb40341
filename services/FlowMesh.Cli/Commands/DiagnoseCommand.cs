using System.CommandLine;
using System.Globalization;
using FlowMesh.Cli.Querying;
using Spectre.Console;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Cli.Commands;

/// <summary>
/// <c>flowmesh diagnose &lt;src&gt; &lt;dst&gt; [--port P] [--protocol tcp] [--json]</c>: was the traffic allowed,
/// and if not, security group or network ACL — with the records both ways as evidence.
/// </summary>
internal static class DiagnoseCommand
{
    public static Command Create(CliConsole console)
    {
        var source = new Argument<string>("src") { Description = "Who opens the connection (IPv4 or IPv6 address)." };
        var destination = new Argument<string>("dst") { Description = "Who is connected to (IPv4 or IPv6 address)." };
        var port = new Option<uint?>("--port", "-p") { Description = "The destination (server) port; default any. ICMP uses 0." };
        var protocol = new Option<string?>("--protocol") { Description = "tcp, udp, icmp, icmpv6 or a protocol number; default any." };
        var server = QueryVerb.ServerOption();
        var json = QueryVerb.JsonOption();
        var command = new Command("diagnose", "Why is traffic from src to dst failing? Security group vs network ACL, from the flow-log records of both directions.")
        {
            source, destination, port, protocol, server, json,
        };
        command.SetAction((parseResult, cancellationToken) => QueryVerb.RunAsync(console, "diagnose", parseResult.GetValue(server)!, async client =>
        {
            var request = new V1.DiagnoseConnectionRequest
            {
                Source = parseResult.GetValue(source)!,
                Destination = parseResult.GetValue(destination)!,
            };
            if (parseResult.GetValue(port) is { } p) request.Port = p;
            if (parseResult.GetValue(protocol) is { } proto) request.Protocol = QueryNames.ParseProtocol(proto).ToString(CultureInfo.InvariantCulture);
            var diagnosis = await client.DiagnoseConnectionAsync(request, deadline: QueryVerb.Deadline(), cancellationToken: cancellationToken);
            if (parseResult.GetValue(json)) await console.Out.WriteLineAsync(QueryJson.Serialize(DiagnosisJson.From(diagnosis)));
            else SpectreConsoles.Create(console).Write(Render(diagnosis));
            await console.Out.FlushAsync(cancellationToken);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Rows Render(V1.ConnectionDiagnosis d)
    {
        var color = d.Verdict switch
        {
            V1.DiagnosisVerdict.AllowedBothWays => "green",
            V1.DiagnosisVerdict.NoRecords or V1.DiagnosisVerdict.NoReplySeen => "yellow",
            _ => "red",
        };
        var parts = new List<Spectre.Console.Rendering.IRenderable>
        {
            new Markup($"[bold {color}]{DiagnosisJson.VerdictName(d.Verdict)}[/]"),
            new Markup(Markup.Escape(d.Conclusion)),
        };
        var all = d.Requests.Select(r => ("request", r)).Concat(d.Replies.Select(r => ("reply", r))).ToList();
        if (all.Count > 0)
        {
            // Columns the log format did not carry are left out rather than shown empty.
            var withDirection = all.Any(x => x.r.Direction.Length > 0);
            var withFlags = all.Any(x => x.r.TcpFlags != 0);
            var withReason = all.Any(x => x.r.RejectReason.Length > 0);
            var table = new Table().Border(TableBorder.Simple);
            foreach (var name in new[] { "leg", "interface", "source", "destination", "proto", "action" }) table.AddColumn(new TableColumn(name).NoWrap());
            if (withDirection) table.AddColumn(new TableColumn("dir").NoWrap());
            table.AddColumn(new TableColumn("flows").RightAligned().NoWrap()).AddColumn(new TableColumn("packets").RightAligned().NoWrap());
            if (withFlags) table.AddColumn(new TableColumn("tcp-flags").NoWrap());
            if (withReason) table.AddColumn(new TableColumn("reason").NoWrap());
            foreach (var (leg, r) in all)
            {
                var cells = new List<string>
                {
                    leg, Markup.Escape(r.InterfaceId), Markup.Escape(Endpoint(r.Source, r.SourcePort, r.SourcePort)),
                    Markup.Escape(Endpoint(r.Destination, r.DestinationPort, r.HighestDestinationPort)), ProtocolText(r.Protocol),
                    r.Action == V1.FlowAction.Reject ? "[red]REJECT[/]" : "ACCEPT",
                };
                if (withDirection) cells.Add(r.Direction.Length == 0 ? "-" : r.Direction);
                cells.Add(r.Flows.ToString("N0", CultureInfo.InvariantCulture));
                cells.Add(r.Packets.ToString("N0", CultureInfo.InvariantCulture));
                if (withFlags) cells.Add(r.TcpFlags == 0 ? "-" : r.TcpFlags.ToString(CultureInfo.InvariantCulture));
                if (withReason) cells.Add(r.RejectReason.Length == 0 ? "-" : Markup.Escape(r.RejectReason));
                table.AddRow([.. cells]);
            }
            parts.Add(table);
        }
        parts.Add(new Markup("[dim]evidence[/]"));
        parts.AddRange(d.Evidence.Select(e => new Markup("  • " + Markup.Escape(e))));
        parts.Add(new Markup("[dim]next steps[/]"));
        parts.AddRange(d.NextSteps.Select((s, i) => new Markup($"  {i + 1}. " + Markup.Escape(s))));
        return new Rows(parts);
    }

    private static string ProtocolText(int protocol) => protocol switch
    {
        < 0 => "-",
        1 => "icmp",
        6 => "tcp",
        17 => "udp",
        58 => "icmpv6",
        _ => protocol.ToString(CultureInfo.InvariantCulture),
    };

    private static string Endpoint(string address, int port, int highest)
    {
        if (port <= 0 && highest <= 0) return address;
        var ports = highest > port ? $"{port}-{highest}" : port.ToString(CultureInfo.InvariantCulture);
        return address.Contains(':', StringComparison.Ordinal) ? $"[{address}]:{ports}" : $"{address}:{ports}";
    }
}

/// <summary>The --json shape of diagnose.</summary>
internal sealed record DiagnosisJson(string Verdict, string Conclusion, string[] Evidence, string[] NextSteps, DiagnosisJson.Record[] Requests, DiagnosisJson.Record[] Replies)
{
    public sealed record Record(
        string InterfaceId, string Source, string Destination, int? SourcePort, int? DestinationPort, int? HighestDestinationPort, int? Protocol, string Action,
        string? Direction, string? RejectReason, uint? TcpFlags, ulong Flows, ulong Packets, ulong Bytes, string? FirstSeen, string? LastSeen);

    public static string VerdictName(V1.DiagnosisVerdict verdict) => verdict switch
    {
        V1.DiagnosisVerdict.AllowedBothWays => "allowed_both_ways",
        V1.DiagnosisVerdict.RequestRejected => "request_rejected",
        V1.DiagnosisVerdict.ReplyRejected => "reply_rejected",
        V1.DiagnosisVerdict.BlockPublicAccess => "block_public_access",
        V1.DiagnosisVerdict.NoRecords => "no_records",
        V1.DiagnosisVerdict.NoReplySeen => "no_reply_seen",
        _ => "unspecified",
    };

    public static DiagnosisJson From(V1.ConnectionDiagnosis d) => new(
        VerdictName(d.Verdict), d.Conclusion, [.. d.Evidence], [.. d.NextSteps], [.. d.Requests.Select(From)], [.. d.Replies.Select(From)]);

    private static Record From(V1.ConnectionEvidence r) => new(
        r.InterfaceId, r.Source, r.Destination, r.SourcePort < 0 ? null : r.SourcePort, r.DestinationPort < 0 ? null : r.DestinationPort,
        r.DestinationPort < 0 ? null : Math.Max(r.DestinationPort, r.HighestDestinationPort),
        r.Protocol < 0 ? null : r.Protocol, r.Action == V1.FlowAction.Reject ? "reject" : r.Action == V1.FlowAction.Accept ? "accept" : "unknown",
        r.Direction.Length == 0 ? null : r.Direction, r.RejectReason.Length == 0 ? null : r.RejectReason, r.TcpFlags == 0 ? null : r.TcpFlags,
        r.Flows, r.Packets, r.Bytes, Time(r.FirstSeen), Time(r.LastSeen));

    private static string? Time(Google.Protobuf.WellKnownTypes.Timestamp? t) =>
        t?.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
