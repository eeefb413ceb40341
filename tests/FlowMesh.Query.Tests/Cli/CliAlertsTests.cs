using System.Text.Json;
using FlowMesh.Cli;
using FlowMesh.Grains;
using FlowMesh.Testing;

namespace FlowMesh.Query.Tests.Cli;

/// <summary>
/// <c>flowmesh alerts</c> against the real test server, with transitions recorded straight into the
/// cluster's alert log. The log is shared by the collection: each test uses its own rule and group
/// names and asserts on its own events only.
/// </summary>
[Collection(QueryServerGroup.Name)]
public sealed class CliAlertsTests(QueryServerFixture server, ITestOutputHelper log)
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 10, 1, 0, TimeSpan.Zero);

    private string Server => server.Address.ToString();

    private IAlertLogGrain AlertLog => server.Grains.GetGrain<IAlertLogGrain>(GrainKeys.AlertLog);

    [Fact]
    public async Task Alerts_Json_ListsStillActiveAlarmAndRecentTransitionsInOrder()
    {
        var rule = UniqueRule();
        await AlertLog.RecordAsync(
        [
            Event(rule, "g1", inAlarm: true, value: 25, at: At, flows: 30, rejected: 25),
            Event(rule, "g2", inAlarm: true, value: 31, at: At.AddMinutes(1), flows: 40, rejected: 31),
            Event(rule, "g2", inAlarm: false, value: 3, at: At.AddMinutes(2), flows: 9, rejected: 3),
        ]);

        var (exit, output, error) = await CliRunner.RunAsync("alerts", "--server", Server, "--limit", "50", "--json");

        Assert.True(exit == 0, error);
        var json = CliRunner.Json(output.Trim());
        var active = Ours(json.GetProperty("active"), rule);
        var g1 = Assert.Single(active);
        Assert.Equal("g1", g1.GetProperty("group").GetString());
        Assert.Equal("alarm", g1.GetProperty("state").GetString());
        Assert.Equal("ok", g1.GetProperty("previous_state").GetString());
        Assert.Equal("2026-11-27T10:01:00Z", g1.GetProperty("at").GetString());
        Assert.Equal("2026-11-27T10:00:00Z", g1.GetProperty("period_start").GetString());
        Assert.Equal(25, g1.GetProperty("value").GetDouble());
        Assert.Equal(20, g1.GetProperty("threshold").GetDouble());
        Assert.Equal([10.0, 25.0], g1.GetProperty("recent_values").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(30ul, g1.GetProperty("flows").GetUInt64());
        Assert.Equal(25ul, g1.GetProperty("rejected_flows").GetUInt64());
        Assert.Equal(3000ul, g1.GetProperty("bytes").GetUInt64());

        // Newest first: g2 back to OK, g2 into ALARM, g1 into ALARM, numbered one after the other.
        var recent = Ours(json.GetProperty("recent"), rule);
        Assert.Equal(["g2", "g2", "g1"], recent.Select(e => e.GetProperty("group").GetString()));
        Assert.Equal(["ok", "alarm", "alarm"], recent.Select(e => e.GetProperty("state").GetString()));
        Assert.Equal([3.0, 31.0, 25.0], recent.Select(e => e.GetProperty("value").GetDouble()));
        Assert.Equal([9ul, 40ul, 30ul], recent.Select(e => e.GetProperty("flows").GetUInt64()));
        Assert.Equal(["2026-11-27T10:03:00Z", "2026-11-27T10:02:00Z", "2026-11-27T10:01:00Z"], recent.Select(e => e.GetProperty("at").GetString()));
        var sequences = recent.Select(e => e.GetProperty("sequence").GetUInt64()).ToArray();
        Assert.Equal(sequences[0] - 1, sequences[1]);
        Assert.Equal(sequences[1] - 1, sequences[2]);
        Assert.Equal(sequences[2], g1.GetProperty("sequence").GetUInt64());
        Assert.True(json.GetProperty("last_sequence").GetUInt64() >= sequences[0]);
    }

    [Fact]
    public async Task Alerts_Json_DefaultLimitIsTheLatest20Transitions()
    {
        var rule = UniqueRule();
        await AlertLog.RecordAsync([.. Enumerable.Range(0, 25).Select(i => Event(rule, "g" + i, inAlarm: true, value: 21 + i, at: At, flows: 100, rejected: 21 + i))]);

        var (exit, output, error) = await CliRunner.RunAsync("alerts", "--server", Server, "--json");

        Assert.True(exit == 0, error);
        var json = CliRunner.Json(output.Trim());
        var recent = json.GetProperty("recent").EnumerateArray().ToArray();
        Assert.Equal(20, recent.Length);
        Assert.All(recent, e => Assert.Equal(rule, e.GetProperty("rule").GetString()));
        Assert.Equal(Enumerable.Range(5, 20).Reverse().Select(i => "g" + i), recent.Select(e => e.GetProperty("group").GetString()));
        Assert.Equal(Enumerable.Range(5, 20).Reverse().Select(i => 21.0 + i), recent.Select(e => e.GetProperty("value").GetDouble()));
        // All 25 are still in alarm, whatever the limit.
        Assert.Equal(25, Ours(json.GetProperty("active"), rule).Length);
    }

    [Fact]
    public async Task Alerts_Table_ShowsActiveAlarmsAndTransitionsWithRejectRatesAsPercentages()
    {
        // interface-reject-rate measures a fraction: 0.35 against 0.2 reads 35% against 20%.
        var eni = GrainFeed.UniqueEnis(1)[0];
        var rule = UniqueRule();
        await AlertLog.RecordAsync(
        [
            Event("interface-reject-rate", eni, inAlarm: true, value: 0.35, at: At, flows: 400, rejected: 140, threshold: 0.2),
            Event(rule, "gone", inAlarm: true, value: 1234.5678, at: At, flows: 1500, rejected: 1234),
            Event(rule, "gone", inAlarm: false, value: 7, at: At.AddMinutes(1), flows: 12, rejected: 7),
        ]);
        try
        {
            var (exit, output, error) = await CliRunner.RunAsync("alerts", "--server", Server);
            log.WriteLine(output);

            Assert.True(exit == 0, error);
            Assert.Contains("active alarm(s)", output, StringComparison.Ordinal);
            Assert.Contains("latest transitions, newest first", output, StringComparison.Ordinal);
            var activeRow = Assert.Single(Lines(output), l => l.Contains(eni, StringComparison.Ordinal) && !l.Contains("ALARM", StringComparison.Ordinal));
            Assert.Equal(["interface-reject-rate", eni, "2026-11-27", "10:01:00", "35%", ">", "20%", "400", "140"], Cells(activeRow));
            var transitions = Lines(output).Where(l => l.Contains(rule, StringComparison.Ordinal)).ToArray();
            Assert.Equal(2, transitions.Length);
            Assert.Equal(["2026-11-27", "10:02:00", "OK", rule, "gone", "7", "<=", "20", "12", "7"], Cells(transitions[0]));
            Assert.Equal(["2026-11-27", "10:01:00", "ALARM", rule, "gone", "1235", ">", "20", "1,500", "1,234"], Cells(transitions[1]));
            Assert.DoesNotContain(Lines(output).TakeWhile(l => !l.Contains("latest transitions", StringComparison.Ordinal)), l => l.Contains(rule, StringComparison.Ordinal));
        }
        finally
        {
            await AlertLog.RecordAsync([Event("interface-reject-rate", eni, inAlarm: false, value: 0.01, at: At.AddMinutes(5), flows: 400, rejected: 4, threshold: 0.2)]);
        }
    }

    [Fact]
    public async Task Alerts_Table_NoActiveAlarms_SaysSo()
    {
        // Tests in the collection run one at a time: close whatever alarms earlier tests left open.
        var open = await server.Client.ListAlertsAsync(new Contracts.V1.ListAlertsRequest(), cancellationToken: TestContext.Current.CancellationToken);
        await AlertLog.RecordAsync([.. open.Active.Select(a => Event(a.Rule, a.Group, inAlarm: false, value: 0, at: At.AddHours(1), flows: 0, rejected: 0))]);

        var (exit, output, error) = await CliRunner.RunAsync("alerts", "--server", Server, "--limit", "1");

        Assert.True(exit == 0, error);
        Assert.StartsWith("No active alarms.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_Json_ListsTheDefaultBuiltInRulesWithTheirThresholds()
    {
        var (exit, output, error) = await CliRunner.RunAsync("alerts", "--rules", "--server", Server, "--json");

        Assert.True(exit == 0, error);
        var json = CliRunner.Json(output.Trim());
        Assert.True(json.GetProperty("enabled").GetBoolean());
        var rules = json.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(["interface-reject-rate", "port-scan", "ssh-brute-force", "ssh-rdp-from-outside"], rules.Keys.Order(StringComparer.Ordinal));
        AssertRule(rules["ssh-rdp-from-outside"], "flows", "destination", 300, 10, 1, 1);
        AssertRule(rules["ssh-brute-force"], "rejected_flows", "source", 60, 20, 3, 2);
        AssertRule(rules["interface-reject-rate"], "reject_rate", "interface", 300, 0.2, 3, 2);
        AssertRule(rules["port-scan"], "distinct_destination_ports", "source", 60, 100, 1, 1);
        Assert.Contains("rejected_flows per source", rules["ssh-brute-force"].GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("distinct_destination_ports per source of requests (replies excluded) > 100", rules["port-scan"].GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, rules["port-scan"].GetProperty("status").ValueKind);
    }

    [Fact]
    public async Task Rules_Table_ShowsEachRuleAsBuiltIn()
    {
        var (exit, output, error) = await CliRunner.RunAsync("alerts", "--rules", "--server", Server);
        log.WriteLine(output);

        Assert.True(exit == 0, error);
        Assert.Equal(["rule", "built-in", "summary", "in", "alarm", "evaluated", "through"], Cells(Lines(output).First(l => l.Trim().StartsWith("rule", StringComparison.Ordinal))));
        foreach (var name in new[] { "ssh-rdp-from-outside", "ssh-brute-force", "interface-reject-rate", "port-scan" })
        {
            var row = Cells(Assert.Single(Lines(output), l => l.TrimStart().StartsWith(name + " ", StringComparison.Ordinal)));
            Assert.Equal("yes", row[1]);
        }
    }

    [Fact]
    public async Task Watch_Json_ActiveAlarmsThenCaughtUpThenEachNewTransition()
    {
        var rule = UniqueRule();
        await AlertLog.RecordAsync([Event(rule, "before", inAlarm: true, value: 22, at: At, flows: 30, rejected: 22)]);
        using var output = new LineWriter();
        using var error = new StringWriter();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = CliApp.RunAsync(["alerts", "--watch", "--server", Server, "--json"], new CliConsole(output, error, () => Stream.Null), cancel.Token);

        var beforeMarker = new List<JsonElement>();
        JsonElement line;
        while ((line = CliRunner.Json(await NextLineAsync(output))).GetProperty("kind").GetString() != "caught_up") beforeMarker.Add(line);
        Assert.False(line.TryGetProperty("event", out _));
        Assert.All(beforeMarker, l => Assert.Equal("active", l.GetProperty("kind").GetString()));
        var before = Assert.Single(beforeMarker, l => l.GetProperty("event").GetProperty("rule").GetString() == rule).GetProperty("event");
        Assert.Equal("before", before.GetProperty("group").GetString());
        Assert.Equal("alarm", before.GetProperty("state").GetString());
        Assert.Equal(22, before.GetProperty("value").GetDouble());

        await AlertLog.RecordAsync(
        [
            Event(rule, "after", inAlarm: true, value: 40, at: At.AddMinutes(1), flows: 50, rejected: 40),
            Event(rule, "before", inAlarm: false, value: 2, at: At.AddMinutes(1), flows: 5, rejected: 2),
        ]);
        var transitions = new List<JsonElement>();
        while (transitions.Count < 2)
        {
            line = CliRunner.Json(await NextLineAsync(output));
            Assert.Equal("transition", line.GetProperty("kind").GetString());
            if (line.GetProperty("event").GetProperty("rule").GetString() == rule) transitions.Add(line.GetProperty("event"));
        }
        Assert.Equal(["after", "before"], transitions.Select(e => e.GetProperty("group").GetString()));
        Assert.Equal(["alarm", "ok"], transitions.Select(e => e.GetProperty("state").GetString()));
        Assert.Equal([40.0, 2.0], transitions.Select(e => e.GetProperty("value").GetDouble()));
        Assert.Equal([50ul, 5ul], transitions.Select(e => e.GetProperty("flows").GetUInt64()));
        Assert.Equal(transitions[0].GetProperty("sequence").GetUInt64() + 1, transitions[1].GetProperty("sequence").GetUInt64());
        Assert.True(transitions[0].GetProperty("sequence").GetUInt64() > before.GetProperty("sequence").GetUInt64());

        await cancel.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task Watch_Text_PrintsOneLinePerTransition()
    {
        var rule = UniqueRule();
        await AlertLog.RecordAsync([Event(rule, "198.51.100.7", inAlarm: true, value: 25, at: At, flows: 30, rejected: 25)]);
        using var output = new LineWriter();
        using var error = new StringWriter();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = CliApp.RunAsync(["alerts", "--watch", "--server", Server], new CliConsole(output, error, () => Stream.Null), cancel.Token);

        var beforeMarker = new List<string>();
        string text;
        while (!(text = await NextLineAsync(output)).Contains("watching for transitions", StringComparison.Ordinal)) beforeMarker.Add(text);
        Assert.Contains($"2026-11-27T10:01:00Z ALARM {rule} 198.51.100.7 value=25 > 20 (flows=30 rejected=25)", beforeMarker);
        Assert.Equal($"{beforeMarker.Count} active alarm(s) above; watching for transitions (Ctrl-C to stop).", text);

        await AlertLog.RecordAsync([Event(rule, "198.51.100.7", inAlarm: false, value: 4.5, at: At.AddMinutes(3), flows: 6, rejected: 4)]);
        do text = await NextLineAsync(output);
        while (!text.Contains(rule, StringComparison.Ordinal));
        Assert.Equal($"2026-11-27T10:04:00Z OK {rule} 198.51.100.7 value=4.5 <= 20 (flows=6 rejected=4)", text);

        await cancel.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal("", error.ToString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("5000")]
    public async Task Limit_OutOfRange_UsageErrorNamingTheOption(string limit)
    {
        var (exit, output, error) = await CliRunner.RunAsync("alerts", "--server", Server, "--limit", limit);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"flowmesh alerts: --limit: {limit} is not in 1..1000", error.Trim());
    }

    [Theory]
    [InlineData("--rules", "--watch", "--rules and --watch cannot be used together")]
    [InlineData("--rules", "--limit=5", "--limit applies to the alarm list, not to --rules or --watch")]
    [InlineData("--watch", "--limit=5", "--limit applies to the alarm list, not to --rules or --watch")]
    public async Task OptionsThatDoNotGoTogether_UsageError(string first, string second, string message)
    {
        var (exit, output, error) = await CliRunner.RunAsync("alerts", first, second, "--server", Server);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal("flowmesh alerts: " + message, error.Trim());
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--watch")]
    [InlineData("--rules")]
    public async Task ServerUnreachable_Exit3WithOneClearLine(string form)
    {
        var nobody = $"http://127.0.0.1:{TestPorts.Next()}";
        var (exit, output, error) = await CliRunner.RunAsync("alerts", form, "--server", nobody);

        Assert.Equal(3, exit);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"cannot reach the FlowMesh query service at {nobody}: ", line, StringComparison.Ordinal);
        Assert.EndsWith("; is the server running?", line, StringComparison.Ordinal);
    }

    private static string UniqueRule() => "cli-test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A transition as a rule grain records it: the deciding period ends at <paramref name="at"/>, one minute long.</summary>
    private static AlertEvent Event(string rule, string group, bool inAlarm, double value, DateTimeOffset at, long flows, long rejected, double threshold = 20) =>
        new(0, rule, group, inAlarm, at, at.AddMinutes(-1), value, threshold, [10, value], flows, flows * 2, flows * 100, rejected, 0, "test rule " + rule);

    private static JsonElement[] Ours(JsonElement events, string rule) =>
        [.. events.EnumerateArray().Where(e => e.GetProperty("rule").GetString() == rule)];

    private static void AssertRule(JsonElement rule, string aggregation, string groupBy, double periodSeconds, double threshold, uint evaluationPeriods, uint datapoints)
    {
        Assert.True(rule.GetProperty("built_in").GetBoolean());
        Assert.Equal(aggregation, rule.GetProperty("aggregation").GetString());
        Assert.Equal(groupBy, rule.GetProperty("group_by").GetString());
        Assert.Equal(periodSeconds, rule.GetProperty("period_seconds").GetDouble());
        Assert.Equal(threshold, rule.GetProperty("threshold").GetDouble());
        Assert.Equal(evaluationPeriods, rule.GetProperty("evaluation_periods").GetUInt32());
        Assert.Equal(datapoints, rule.GetProperty("datapoints_to_alarm").GetUInt32());
        Assert.False(string.IsNullOrEmpty(rule.GetProperty("description").GetString()));
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<string> NextLineAsync(LineWriter output)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        return await output.Lines.ReadAsync(timeout.Token);
    }
}
