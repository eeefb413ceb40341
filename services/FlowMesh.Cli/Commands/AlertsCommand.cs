using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using FlowMesh.Cli.Querying;
using Grpc.Core;
using Spectre.Console;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Cli.Commands;

/// <summary>
/// <c>flowmesh alerts [--limit 20] [--json]</c>: the active alarms and the latest transitions;
/// <c>--rules</c>: the rules in effect and where their evaluation stands; <c>--watch</c>: the active
/// alarms, then each transition as it happens (one JSON object per update with --json) until Ctrl-C.
/// </summary>
internal static class AlertsCommand
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 1000;

    public static Command Create(CliConsole console)
    {
        var limit = new Option<uint?>("--limit", "-n") { Description = $"Latest transitions to show, 1..{MaxLimit} (default {DefaultLimit})." };
        var rules = new Option<bool>("--rules") { Description = "Show the alert rules in effect instead of the alarms." };
        var watch = new Option<bool>("--watch") { Description = "Show the active alarms, then each transition as it happens, until Ctrl-C." };
        var server = QueryVerb.ServerOption();
        var json = QueryVerb.JsonOption("Print JSON (with --watch one object per update, JSON Lines).");
        var command = new Command("alerts", "Show the active alarms and the latest transitions, the alert rules (--rules), or follow transitions live (--watch).")
        {
            limit, rules, watch, server, json,
        };
        command.SetAction((parseResult, cancellationToken) => QueryVerb.RunAsync(console, "alerts", parseResult.GetValue(server)!, async client =>
        {
            var showRules = parseResult.GetValue(rules);
            var follow = parseResult.GetValue(watch);
            var asJson = parseResult.GetValue(json);
            if (showRules && follow) throw new FormatException("--rules and --watch cannot be used together");
            if (parseResult.GetValue(limit) is { } n)
            {
                if (showRules || follow) throw new FormatException("--limit applies to the alarm list, not to --rules or --watch");
                if (n is < 1 or > MaxLimit) throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"--limit: {n} is not in 1..{MaxLimit}"));
            }
            if (showRules) return await ShowRulesAsync(console, client, asJson, cancellationToken);
            if (follow) return await WatchAsync(console, client, asJson, cancellationToken);
            return await ShowAlarmsAsync(console, client, parseResult.GetValue(limit) ?? DefaultLimit, asJson, cancellationToken);
        }, cancellationToken));
        return command;
    }

    private static async Task<int> ShowRulesAsync(CliConsole console, V1.FlowMeshQuery.FlowMeshQueryClient client, bool json, CancellationToken cancellationToken)
    {
        var response = await client.ListAlertRulesAsync(new V1.ListAlertRulesRequest(), deadline: QueryVerb.Deadline(), cancellationToken: cancellationToken);
        if (json)
        {
            await console.Out.WriteLineAsync(QueryJson.Serialize(AlertRulesJson.From(response)));
        }
        else
        {
            var ansi = SpectreConsoles.Create(console);
            if (!response.Enabled) ansi.MarkupLine("[yellow]Alerting is switched off (FlowMesh:Alerts:Enabled=false).[/]");
            var table = new Table().Border(TableBorder.Simple)
                .AddColumn(new TableColumn("rule").NoWrap())
                .AddColumn(new TableColumn("built-in").NoWrap())
                .AddColumn("summary")
                .AddColumn(new TableColumn("in alarm").RightAligned().NoWrap())
                .AddColumn(new TableColumn("evaluated through").NoWrap());
            foreach (var r in response.Rules)
            {
                table.AddRow(
                    Markup.Escape(r.Name), r.BuiltIn ? "yes" : "no", Markup.Escape(r.Summary),
                    (r.Status?.GroupsInAlarm ?? 0).ToString(CultureInfo.InvariantCulture), TableTime(r.Status?.EvaluatedThrough));
            }
            if (response.Rules.Count == 0) table.AddRow("[dim](no rules)[/]", "", "", "", "");
            ansi.Write(table);
        }
        await console.Out.FlushAsync(cancellationToken);
        return 0;
    }

    private static async Task<int> ShowAlarmsAsync(
        CliConsole console, V1.FlowMeshQuery.FlowMeshQueryClient client, uint limit, bool json, CancellationToken cancellationToken)
    {
        var alerts = await client.ListAlertsAsync(new V1.ListAlertsRequest { Limit = limit }, deadline: QueryVerb.Deadline(), cancellationToken: cancellationToken);
        if (json)
        {
            await console.Out.WriteLineAsync(QueryJson.Serialize(AlertsJson.From(alerts)));
            await console.Out.FlushAsync(cancellationToken);
            return 0;
        }
        var aggregations = await AggregationsAsync(client, cancellationToken);
        var ansi = SpectreConsoles.Create(console);
        if (alerts.Active.Count == 0)
        {
            ansi.WriteLine("No active alarms.");
        }
        else
        {
            var active = new Table().Border(TableBorder.Simple)
                .AddColumn(new TableColumn("rule").NoWrap())
                .AddColumn(new TableColumn("group").NoWrap())
                .AddColumn(new TableColumn("since (UTC)").NoWrap())
                .AddColumn(new TableColumn("value vs threshold").RightAligned().NoWrap())
                .AddColumn(new TableColumn("flows").RightAligned().NoWrap())
                .AddColumn(new TableColumn("rejected").RightAligned().NoWrap());
            foreach (var e in alerts.Active)
            {
                active.AddRow(
                    Markup.Escape(e.Rule), Markup.Escape(e.Group), TableTime(e.At),
                    Markup.Escape(AlertText.Comparison(e, aggregations.GetValueOrDefault(e.Rule), grouped: true)), Number(e.Flows), Number(e.RejectedFlows));
            }
            ansi.Write(new Rows(new Markup($"[bold red]{alerts.Active.Count} active alarm(s)[/]"), active));
        }
        if (alerts.Recent.Count == 0)
        {
            ansi.WriteLine("No transitions recorded.");
        }
        else
        {
            var recent = new Table().Border(TableBorder.Simple)
                .AddColumn(new TableColumn("at (UTC)").NoWrap())
                .AddColumn(new TableColumn("state").NoWrap())
                .AddColumn(new TableColumn("rule").NoWrap())
                .AddColumn(new TableColumn("group").NoWrap())
                .AddColumn(new TableColumn("value vs threshold").RightAligned().NoWrap())
                .AddColumn(new TableColumn("flows").RightAligned().NoWrap())
                .AddColumn(new TableColumn("rejected").RightAligned().NoWrap());
            foreach (var e in alerts.Recent)
            {
                recent.AddRow(
                    TableTime(e.At), e.State == V1.AlertState.Alarm ? "[red]ALARM[/]" : "[green]OK[/]", Markup.Escape(e.Rule), Markup.Escape(e.Group),
                    Markup.Escape(AlertText.Comparison(e, aggregations.GetValueOrDefault(e.Rule), grouped: true)), Number(e.Flows), Number(e.RejectedFlows));
            }
            ansi.Write(new Rows(new Markup("[dim]latest transitions, newest first[/]"), recent));
        }
        await console.Out.FlushAsync(cancellationToken);
        return 0;
    }

    private static async Task<int> WatchAsync(CliConsole console, V1.FlowMeshQuery.FlowMeshQueryClient client, bool json, CancellationToken cancellationToken)
    {
        // The text lines show reject rates as percentages; the event does not say which rules measure one.
        var aggregations = json ? new Dictionary<string, string>() : await AggregationsAsync(client, cancellationToken);
        using var call = client.StreamAlerts(new V1.StreamAlertsRequest(), cancellationToken: cancellationToken);
        var active = 0;
        await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (json)
            {
                await console.Out.WriteLineAsync(QueryJson.Serialize(AlertUpdateJson.From(update)));
            }
            else if (update.Kind == V1.AlertUpdate.Types.Kind.CaughtUp)
            {
                await console.Out.WriteLineAsync(active == 0
                    ? "No active alarms; watching for transitions (Ctrl-C to stop)."
                    : string.Create(CultureInfo.InvariantCulture, $"{active} active alarm(s) above; watching for transitions (Ctrl-C to stop)."));
            }
            else if (update.Event is { } e)
            {
                if (update.Kind == V1.AlertUpdate.Types.Kind.Active) active++;
                await console.Out.WriteLineAsync(AlertText.Line(e, aggregations.GetValueOrDefault(e.Rule)));
            }
            await console.Out.FlushAsync(cancellationToken);
        }
        // The server ended the stream (it is shutting down): say so, as for a lost connection.
        await console.Error.WriteLineAsync("flowmesh alerts: the query service closed the stream");
        return QueryFailure.Unreachable;
    }

    /// <summary>Each rule's aggregation (reject_rate values are fractions, shown as percentages).</summary>
    private static async Task<Dictionary<string, string>> AggregationsAsync(V1.FlowMeshQuery.FlowMeshQueryClient client, CancellationToken cancellationToken)
    {
        var response = await client.ListAlertRulesAsync(new V1.ListAlertRulesRequest(), deadline: QueryVerb.Deadline(), cancellationToken: cancellationToken);
        return response.Rules.ToDictionary(r => r.Name, r => r.Aggregation, StringComparer.Ordinal);
    }

    private static string Number(ulong value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string TableTime(Google.Protobuf.WellKnownTypes.Timestamp? t) =>
        t is null ? "-" : t.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}

/// <summary>The one-line text form of a transition (used by <c>alerts --watch</c>).</summary>
internal static class AlertText
{
    public const string RejectRate = "reject_rate";

    /// <summary><c>2026-11-27T10:01:00Z ALARM ssh-brute-force 198.51.100.7 value=25 &gt; 20 (flows=30 rejected=25)</c>.</summary>
    public static string Line(V1.AlertEvent e, string? aggregation)
    {
        var ci = CultureInfo.InvariantCulture;
        var state = e.State == V1.AlertState.Alarm ? "ALARM" : "OK";
        var distinct = e.Distinct > 0 ? string.Create(ci, $" distinct={e.Distinct}") : "";
        return string.Create(ci,
            $"{AlertJson.Time(e.At)} {state} {e.Rule} {e.Group} value={Comparison(e, aggregation, grouped: false)} (flows={e.Flows} rejected={e.RejectedFlows}{distinct})");
    }

    /// <summary>The deciding value against the threshold: <c>25 &gt; 20</c>, <c>3 &lt;= 20</c>, <c>35% &gt; 20%</c>.</summary>
    public static string Comparison(V1.AlertEvent e, string? aggregation, bool grouped) =>
        $"{Value(e.Value, aggregation, grouped)} {(e.Value > e.Threshold ? ">" : "<=")} {Value(e.Threshold, aggregation, grouped)}";

    /// <summary>A reject rate as a percentage; whole numbers as they are; anything else with 4 significant digits.</summary>
    public static string Value(double value, string? aggregation, bool grouped)
    {
        var ci = CultureInfo.InvariantCulture;
        if (aggregation == RejectRate) return (value * 100).ToString("0.##", ci) + "%";
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15) return value.ToString(grouped ? "N0" : "0", ci);
        return value.ToString("G4", ci);
    }
}

/// <summary>The --json shape of <c>alerts</c>: the active alarms and the latest transitions, newest first.</summary>
internal sealed record AlertsJson(ulong LastSequence, IReadOnlyList<AlertJson> Active, IReadOnlyList<AlertJson> Recent)
{
    public static AlertsJson From(V1.ListAlertsResponse r) => new(r.LastSequence, [.. r.Active.Select(AlertJson.From)], [.. r.Recent.Select(AlertJson.From)]);
}

/// <summary>One transition (state and previous_state are "alarm" or "ok"; times ISO 8601 UTC).</summary>
internal sealed record AlertJson(
    ulong Sequence, string Rule, string Group, string State, string PreviousState, string? At, string? PeriodStart, double Value, double Threshold,
    double[] RecentValues, ulong Flows, ulong Packets, ulong Bytes, ulong RejectedFlows, uint Distinct, string Description)
{
    public static AlertJson From(V1.AlertEvent e) => new(
        e.Sequence, e.Rule, e.Group, StateName(e.State), StateName(e.PreviousState), Time(e.At), Time(e.PeriodStart), e.Value, e.Threshold,
        [.. e.RecentValues], e.Flows, e.Packets, e.Bytes, e.RejectedFlows, e.Distinct, e.Description);

    public static string StateName(V1.AlertState state) => state switch
    {
        V1.AlertState.Alarm => "alarm",
        V1.AlertState.Ok => "ok",
        _ => "unspecified",
    };

    public static string? Time(Google.Protobuf.WellKnownTypes.Timestamp? t) =>
        t?.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}

/// <summary>One line of <c>alerts --watch --json</c>: kind is active, caught_up or transition; caught_up has no event.</summary>
internal sealed record AlertUpdateJson(
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AlertJson? Event)
{
    public static AlertUpdateJson From(V1.AlertUpdate u) => new(
        u.Kind switch
        {
            V1.AlertUpdate.Types.Kind.Active => "active",
            V1.AlertUpdate.Types.Kind.CaughtUp => "caught_up",
            V1.AlertUpdate.Types.Kind.Transition => "transition",
            _ => "unspecified",
        },
        u.Event is null ? null : AlertJson.From(u.Event));
}

/// <summary>The --json shape of <c>alerts --rules</c>.</summary>
internal sealed record AlertRulesJson(bool Enabled, IReadOnlyList<AlertRuleJson> Rules)
{
    public static AlertRulesJson From(V1.ListAlertRulesResponse r) => new(r.Enabled, [.. r.Rules.Select(AlertRuleJson.From)]);
}

/// <summary>One rule; the period in seconds, the threshold as configured (reject_rate is a fraction: 0.2 = 20 %).</summary>
internal sealed record AlertRuleJson(
    string Name, string Description, bool BuiltIn, string Summary, string Aggregation, string GroupBy, double PeriodSeconds, double Threshold,
    uint EvaluationPeriods, uint DatapointsToAlarm, AlertRuleStatusJson Status)
{
    public static AlertRuleJson From(V1.AlertRule r)
    {
        var s = r.Status ?? new V1.AlertRuleStatus();
        return new AlertRuleJson(
            r.Name, r.Description, r.BuiltIn, r.Summary, r.Aggregation, r.GroupBy, r.Period?.ToTimeSpan().TotalSeconds ?? 0, r.Threshold,
            r.EvaluationPeriods, r.DatapointsToAlarm,
            new AlertRuleStatusJson(
                AlertJson.Time(s.EvaluatedThrough), AlertJson.Time(s.OpenPeriodStart), s.OpenGroups, s.TrackedGroups, s.GroupsInAlarm, s.DroppedGroupUpdates));
    }
}

internal sealed record AlertRuleStatusJson(
    string? EvaluatedThrough, string? OpenPeriodStart, uint OpenGroups, uint TrackedGroups, uint GroupsInAlarm, ulong DroppedGroupUpdates);
