using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Cli.Querying;

/// <summary>The human view of a top-N answer: a header line (scope, window, totals, reject rate, last update) and a ranked table.</summary>
internal static class SnapshotView
{
    public static IRenderable Render(V1.TopContributorsSnapshot s, ulong? sequence = null)
    {
        var totals = s.Totals ?? new V1.TrafficTotals();
        var what = new List<string>
        {
            $"[bold]{Markup.Escape(s.Scope)}[/]",
            $"{QueryNames.Format(s.Dimension)} by {QueryNames.Format(s.Metric)}",
            $"{QueryNames.Format(s.Window)} window {Clock(s.WindowStart)}–{Clock(s.WindowEnd)} UTC",
        };
        if (sequence is { } n) what.Add($"update #{n}");
        var state = new[]
        {
            $"{Number(totals.Flows)} flows, {Bytes(totals.Bytes)}",
            $"reject rate [bold]{totals.RejectRate.ToString("P2", CultureInfo.InvariantCulture)}[/]",
            s.LastUpdated is null ? "no data yet" : $"updated {Clock(s.LastUpdated)} UTC",
        };
        var lines = new List<IRenderable> { new Markup(string.Join(" · ", what)), new Markup(string.Join(" · ", state)) };
        if (s.Filter is { } filter) lines.Add(new Markup($"[dim]filter: {Markup.Escape(Describe(filter))}; counts data since {Clock(s.CoverageStart)} UTC[/]"));
        if (!s.Exact) lines.Add(new Markup("[dim]values are estimates: the true value lies within ± bound below the value shown[/]"));
        lines.Add(Table(s.Contributors, QueryNames.Format(s.Dimension), QueryNames.Format(s.Metric), s.Metric == V1.Metric.Bytes));
        return new Rows(lines);
    }

    /// <summary>A ranked table of contributors (also used by the eni and ip summaries).</summary>
    public static Table Table(IReadOnlyList<V1.Contributor> contributors, string keyTitle, string valueTitle, bool bytes)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("#").RightAligned())
            .AddColumn(keyTitle)
            .AddColumn(new TableColumn(valueTitle).RightAligned())
            .AddColumn(new TableColumn("± bound").RightAligned())
            .AddColumn(new TableColumn("share").RightAligned());
        for (var i = 0; i < contributors.Count; i++)
        {
            var c = contributors[i];
            table.AddRow(
                (i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(c.Label),
                bytes ? Bytes(c.Value) : Number(c.Value), c.ErrorBound == 0 ? "0" : Number(c.ErrorBound),
                c.Share.ToString("P1", CultureInfo.InvariantCulture));
        }
        if (contributors.Count == 0) table.AddRow("", "[dim](no traffic in this window)[/]", "", "", "");
        return table;
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Bytes(long value)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double scaled = value;
        var unit = 0;
        while (Math.Abs(scaled) >= 1024 && unit < units.Length - 1)
        {
            scaled /= 1024;
            unit++;
        }
        return unit == 0 ? $"{value.ToString(CultureInfo.InvariantCulture)} B" : $"{scaled.ToString("0.0", CultureInfo.InvariantCulture)} {units[unit]}";
    }

    public static string Clock(Google.Protobuf.WellKnownTypes.Timestamp? t) =>
        t is null ? "-" : t.ToDateTimeOffset().ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Describe(V1.FlowFilter filter)
    {
        var parts = new List<string>();
        if (filter.Action != V1.FlowAction.Unspecified) parts.Add(filter.Action == V1.FlowAction.Accept ? "ACCEPT" : "REJECT");
        if (filter.HasProtocol) parts.Add($"protocol {filter.Protocol}");
        if (filter.HasDestinationPort) parts.Add($"port {filter.DestinationPort}");
        return string.Join(", ", parts);
    }
}
