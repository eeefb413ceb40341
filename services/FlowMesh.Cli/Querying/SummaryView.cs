using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Cli.Querying;

/// <summary>The human views of the eni and ip verbs.</summary>
internal static class SummaryView
{
    public static IRenderable Render(V1.InterfaceSummary s)
    {
        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow("[bold]interface[/]", Markup.Escape(s.InterfaceId));
        AddIfSet(facts, "account", s.AccountId);
        AddIfSet(facts, "vpc", s.VpcId);
        AddIfSet(facts, "subnet", s.SubnetId);
        AddIfSet(facts, "instance", s.InstanceId);
        facts.AddRow("local addresses", Markup.Escape(s.LocalAddresses.Count == 0 ? "-" : string.Join(", ", s.LocalAddresses)));
        facts.AddRow("seen", $"{Time(s.FirstSeen)} – {Time(s.LastSeen)} UTC");
        AddTotals(facts, QueryNames.Format(s.Window), s.Totals);
        // The server judges the capture filter over the last hour (time and volume thresholds).
        if (!string.IsNullOrEmpty(s.CaptureAdvice)) facts.AddRow("[yellow]capture[/]", Markup.Escape(s.CaptureAdvice));
        if (s.LateFlows > 0) facts.AddRow("late flows", SnapshotView.Number(s.LateFlows));
        return new Rows(
            facts,
            Titled("top peers", SnapshotView.Table(s.TopPeers, "peer", "bytes", bytes: true)),
            Titled("top destination ports", SnapshotView.Table(s.TopDestinationPorts, "dstport", "bytes", bytes: true)),
            Titled("top protocols", SnapshotView.Table(s.TopProtocols, "protocol", "bytes", bytes: true)));
    }

    public static IRenderable Render(V1.AddressSummary s)
    {
        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow("[bold]address[/]", Markup.Escape(s.Address));
        facts.AddRow("seen", $"{Time(s.FirstSeen)} – {Time(s.LastSeen)} UTC");
        if (s.LateFlows > 0) facts.AddRow("late flows", SnapshotView.Number(s.LateFlows));
        return new Rows(facts, Role("as source", QueryNames.Format(s.Window), s.AsSource, "destination"), Role("as destination", QueryNames.Format(s.Window), s.AsDestination, "source"));
    }

    private static Rows Role(string title, string window, V1.AddressRoleSummary? role, string peerTitle)
    {
        role ??= new V1.AddressRoleSummary();
        var facts = new Grid().AddColumn().AddColumn();
        AddTotals(facts, window, role.Totals);
        return new Rows(
            new Markup($"[bold]{title}[/]"), facts,
            Titled("top peers", SnapshotView.Table(role.TopPeers, peerTitle, "bytes", bytes: true)),
            Titled("top destination ports", SnapshotView.Table(role.TopDestinationPorts, "dstport", "bytes", bytes: true)),
            Titled("top interfaces", SnapshotView.Table(role.TopInterfaces, "interface", "bytes", bytes: true)));
    }

    private static void AddTotals(Grid facts, string window, V1.TrafficTotals? t)
    {
        t ??= new V1.TrafficTotals();
        facts.AddRow($"last {window}", $"{SnapshotView.Number(t.Flows)} flows, {SnapshotView.Number(t.Packets)} packets, {SnapshotView.Bytes(t.Bytes)}");
        facts.AddRow("rejected", $"{SnapshotView.Number(t.RejectedFlows)} flows ([bold]{t.RejectRate.ToString("P2", CultureInfo.InvariantCulture)}[/])");
    }

    private static void AddIfSet(Grid facts, string name, string value)
    {
        if (value.Length > 0) facts.AddRow(name, Markup.Escape(value));
    }

    private static Rows Titled(string title, Table table) => new(new Markup($"[dim]{title}[/]"), table);

    private static string Time(Google.Protobuf.WellKnownTypes.Timestamp? t) =>
        t is null ? "-" : t.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
