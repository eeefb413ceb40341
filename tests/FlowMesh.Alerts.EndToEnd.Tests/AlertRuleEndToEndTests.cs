using FlowMesh.Alerts.Rules;
using FlowMesh.Grains;
using Microsoft.Extensions.Options;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Alerts.EndToEnd.Tests;

/// <summary>
/// Alert rules driven by generated traffic through the real Firehose endpoint, observed through the
/// real StreamAlerts/ListAlerts RPCs and a real webhook receiver. The alert clock is stepped by the
/// test, so every period holds exactly the deliveries made while it was open and each expected
/// transition — and each absence of one — is exact.
/// </summary>
public sealed class AlertRuleEndToEndTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 1, TimeSpan.Zero);
    private static readonly DateTimeOffset Minute0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private const string Rule = "ssh-from-outside";
    private const string Secret = "whsec-e2e-2f1c";

    [Fact]
    public async Task SshFromOutside_BelowThresholdThenTwoOfThreeBreaching_AlarmsOnceThenRecovers_StreamAndSignedWebhookWithRetry()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, failFirst: 1);
        await using var server = await AlertsServer.StartAsync(Start, new Dictionary<string, string?>
        {
            ["BuiltInRules"] = "none",
            ["Rules:0:Name"] = Rule,
            ["Rules:0:Description"] = "SSH from outside the VPC",
            ["Rules:0:Filter:DestinationPorts:0"] = "22",
            ["Rules:0:Filter:Protocols:0"] = "tcp",
            ["Rules:0:Filter:Source"] = "outside",
            ["Rules:0:Aggregation"] = "flows",
            ["Rules:0:GroupBy"] = "destination",
            ["Rules:0:Period"] = "00:01:00",
            ["Rules:0:Threshold"] = "5",
            ["Rules:0:EvaluationPeriods"] = "3",
            ["Rules:0:DatapointsToAlarm"] = "2",
            ["Webhooks:0:Url"] = receiver.Url.ToString(),
            ["Webhooks:0:Secret"] = Secret,
            ["Webhooks:0:InitialBackoff"] = "00:00:00.200",
        });
        var (stream, active) = await AlertSubscription.OpenAsync(server.Client);
        await using var _ = stream;
        Assert.Empty(active);

        // 10:00 — 4 matching flows (below 5), plus traffic every filter condition must exclude:
        // an inside source, another port, UDP to 22.
        await server.DeliverAsync([
            .. FlowLines.Flows(4, "eni-0a1", "203.0.113.9", "10.0.0.5", 22, "ACCEPT"),
            .. FlowLines.Flows(20, "eni-0a1", "10.0.1.7", "10.0.0.5", 22, "ACCEPT"),
            .. FlowLines.Flows(20, "eni-0a1", "203.0.113.9", "10.0.0.5", 443, "ACCEPT"),
            .. FlowLines.Flows(20, "eni-0a1", "203.0.113.9", "10.0.0.5", 22, "ACCEPT", protocol: 17)]);
        var status = await server.AdvanceAsync(TimeSpan.FromMinutes(1), Rule);
        Assert.Equal((Minute0.AddMinutes(1), 0, 0), (status.EvaluatedThrough, status.TrackedGroups, status.GroupsInAlarm));

        // 10:01 — 6 flows in two deliveries (summed across flushes): 1 of 3 periods breaching, no alarm yet.
        await server.DeliverAsync([.. FlowLines.Flows(3, "eni-0a1", "203.0.113.9", "10.0.0.5", 22, "REJECT")]);
        await server.DeliverAsync([.. FlowLines.Flows(3, "eni-0a1", "198.51.100.20", "10.0.0.5", 22, "ACCEPT")]);
        status = await server.AdvanceAsync(TimeSpan.FromMinutes(1), Rule);
        Assert.Equal((Minute0.AddMinutes(2), 1, 0), (status.EvaluatedThrough, status.TrackedGroups, status.GroupsInAlarm));

        // 10:02 — 9 flows: 2 of 3 breaching → ALARM at 10:03. Another destination at exactly the
        // threshold (5, not above) does not alarm. The ticker closes this period on its own.
        await server.DeliverAsync([
            .. FlowLines.Flows(7, "eni-0a1", "203.0.113.9", "10.0.0.5", 22, "ACCEPT"),
            .. FlowLines.Flows(2, "eni-0a1", "198.51.100.20", "10.0.0.5", 22, "ACCEPT", packets: 3, bytes: 180),
            .. FlowLines.Flows(5, "eni-0a2", "203.0.113.9", "10.0.0.6", 22, "ACCEPT")]);
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var alarm = await stream.NextAsync();
        Assert.Equal(
            (Rule, "10.0.0.5", V1.AlertState.Alarm, V1.AlertState.Ok, Minute0.AddMinutes(3), Minute0.AddMinutes(2), 9.0, 5.0),
            (alarm.Rule, alarm.Group, alarm.State, alarm.PreviousState, alarm.At.ToDateTimeOffset(), alarm.PeriodStart.ToDateTimeOffset(), alarm.Value, alarm.Threshold));
        Assert.Equal([6.0, 9.0], alarm.RecentValues);
        Assert.Equal((9UL, (7UL * 10) + (2 * 3), (7UL * 840) + (2 * 180), 0UL, 1UL), (alarm.Flows, alarm.Packets, alarm.Bytes, alarm.RejectedFlows, alarm.Sequence));
        Assert.Equal("SSH from outside the VPC", alarm.Description);

        // 10:03 — no traffic: [6, 9, 0] still has 2 breaching, stays in ALARM.
        status = await server.AdvanceAsync(TimeSpan.FromMinutes(1), Rule);
        Assert.Equal((Minute0.AddMinutes(4), 1), (status.EvaluatedThrough, status.GroupsInAlarm));

        // 10:04 — 2 flows: [9, 0, 2] has 2 clear → OK at 10:05.
        await server.DeliverAsync([.. FlowLines.Flows(2, "eni-0a1", "203.0.113.9", "10.0.0.5", 22, "ACCEPT")]);
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var ok = await stream.NextAsync();
        Assert.Equal(
            (Rule, "10.0.0.5", V1.AlertState.Ok, V1.AlertState.Alarm, Minute0.AddMinutes(5), 2.0, 2UL, 2UL),
            (ok.Rule, ok.Group, ok.State, ok.PreviousState, ok.At.ToDateTimeOffset(), ok.Value, ok.Flows, ok.Sequence));
        Assert.Equal([9.0, 0.0, 2.0], ok.RecentValues);

        // Exactly those two transitions, everywhere.
        status = await server.AdvanceAsync(TimeSpan.FromMinutes(3), Rule);
        Assert.Equal((0, 0), (status.TrackedGroups, status.GroupsInAlarm));
        var log = await server.Client.ListAlertsAsync(new V1.ListAlertsRequest { Limit = 100 }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Empty(log.Active);
        Assert.Equal([(2UL, V1.AlertState.Ok), (1UL, V1.AlertState.Alarm)], log.Recent.Select(e => (e.Sequence, e.State)));
        Assert.Empty(stream.Pending());

        // The webhook: the first attempt answered 500 and was retried; every body carries a valid signature.
        var first = await receiver.NextAsync();
        var retry = await receiver.NextAsync();
        var recovery = await receiver.NextAsync();
        Assert.Equal((1, 500, true), (first.Attempt, first.AnsweredStatus, first.SignatureValid));
        Assert.Equal((2, 204, true), (retry.Attempt, retry.AnsweredStatus, retry.SignatureValid));
        Assert.Equal((3, 204, true), (recovery.Attempt, recovery.AnsweredStatus, recovery.SignatureValid));
        Assert.Equal(first.Body.GetRawText(), retry.Body.GetRawText());
        Assert.Equal(
            (1L, Rule, "10.0.0.5", "ALARM", "OK", 9.0, 5.0, 9L),
            (retry.Body.GetProperty("sequence").GetInt64(), retry.Body.GetProperty("rule").GetString(), retry.Body.GetProperty("group").GetString(),
             retry.Body.GetProperty("state").GetString(), retry.Body.GetProperty("previous_state").GetString(),
             retry.Body.GetProperty("value").GetDouble(), retry.Body.GetProperty("threshold").GetDouble(), retry.Body.GetProperty("flows").GetInt64()));
        Assert.Equal(Minute0.AddMinutes(3), retry.Body.GetProperty("at").GetDateTimeOffset());
        Assert.Equal((2L, "OK", 2.0), (recovery.Body.GetProperty("sequence").GetInt64(), recovery.Body.GetProperty("state").GetString(), recovery.Body.GetProperty("value").GetDouble()));
    }

    [Fact]
    public async Task StreamAlerts_OpenedDuringAnAlarm_ListsItAsActiveFirst_AndRulesAreListedWithStatus()
    {
        await using var server = await AlertsServer.StartAsync(Start, new Dictionary<string, string?>
        {
            ["BuiltInRules"] = "ssh-brute-force",
            ["Rules:0:Name"] = "rejects-per-interface",
            ["Rules:0:Filter:Action"] = "reject",
            ["Rules:0:Aggregation"] = "rejected_flows",
            ["Rules:0:GroupBy"] = "interface",
            ["Rules:0:Period"] = "00:00:10",
            ["Rules:0:Threshold"] = "2",
        });
        await server.DeliverAsync([.. FlowLines.Flows(3, "eni-0b1", "10.9.0.1", "10.9.0.2", 5432, "REJECT"), .. FlowLines.Flows(9, "eni-0b2", "10.9.0.1", "10.9.0.3", 5432, "ACCEPT")]);
        await server.AdvanceAsync(TimeSpan.FromSeconds(10), "rejects-per-interface");

        var (stream, active) = await AlertSubscription.OpenAsync(server.Client);
        await using var _ = stream;
        var alarm = Assert.Single(active);
        Assert.Equal(("rejects-per-interface", "eni-0b1", V1.AlertState.Alarm, 3.0), (alarm.Rule, alarm.Group, alarm.State, alarm.Value));

        var rules = await server.Client.ListAlertRulesAsync(new V1.ListAlertRulesRequest(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(rules.Enabled);
        Assert.Equal(["ssh-brute-force", "rejects-per-interface"], rules.Rules.Select(r => r.Name));
        var bruteForce = rules.Rules[0];
        Assert.Equal((true, "rejected_flows", "source", 20.0, 3U, 2U, 60.0), (bruteForce.BuiltIn, bruteForce.Aggregation, bruteForce.GroupBy, bruteForce.Threshold, bruteForce.EvaluationPeriods, bruteForce.DatapointsToAlarm, bruteForce.Period.ToTimeSpan().TotalSeconds));
        var custom = rules.Rules[1];
        Assert.Equal((false, 1U, Minute0.AddSeconds(10)), (custom.BuiltIn, custom.Status.GroupsInAlarm, custom.Status.EvaluatedThrough.ToDateTimeOffset()));
        Assert.Contains("per interface", custom.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuiltInRules_EachFiresOnItsTraffic_AndOnlyThere()
    {
        await using var server = await AlertsServer.StartAsync(Start, new Dictionary<string, string?> { ["BuiltInRules"] = "all" });

        // 10:00: SSH brute force (25 rejected), a port scan (101 ports), RDP from outside (11 flows),
        // an interface with 30 % rejects (of 100), an interface with 501 flows and no reject, and a
        // web server's replies to 300 ephemeral ports of one client (not a scan).
        await server.DeliverAsync([
            .. FlowLines.Flows(25, "eni-0bf", "203.0.113.66", "10.2.0.20", 22, "REJECT"),
            .. PortScanLines.Create("eni-0sc", "192.0.2.99", "10.3.0.30", 1000, 101),
            .. PortScanLines.Replies("eni-0web", "10.3.0.40", 443, "198.51.100.77", 40_000, 300),
            .. FlowLines.Flows(11, "eni-0rd", "198.51.100.5", "10.1.0.10", 3389, "ACCEPT"),
            .. FlowLines.Flows(70, "eni-0rr", "10.5.0.1", "10.5.0.2", 8080, "ACCEPT"),
            .. FlowLines.Flows(30, "eni-0rr", "10.5.0.1", "10.5.0.2", 8080, "REJECT"),
            .. FlowLines.Flows(501, "eni-0qu", "10.4.0.1", "10.4.0.2", 443, "ACCEPT")]);
        await AdvanceAllAsync(server, TimeSpan.FromMinutes(1));
        // 10:01: the second minute of brute force.
        await server.DeliverAsync([.. FlowLines.Flows(25, "eni-0bf", "203.0.113.66", "10.2.0.20", 22, "REJECT")]);
        await AdvanceAllAsync(server, TimeSpan.FromMinutes(1));
        await AdvanceAllAsync(server, TimeSpan.FromMinutes(3));
        // 10:05: the second five minutes of 30 % rejects.
        await server.DeliverAsync([.. FlowLines.Flows(70, "eni-0rr", "10.5.0.1", "10.5.0.2", 8080, "ACCEPT"), .. FlowLines.Flows(30, "eni-0rr", "10.5.0.1", "10.5.0.2", 8080, "REJECT")]);
        await AdvanceAllAsync(server, TimeSpan.FromMinutes(5));
        await AdvanceAllAsync(server, TimeSpan.FromMinutes(20));

        var log = await server.Client.ListAlertsAsync(new V1.ListAlertsRequest { Limit = 1000 }, cancellationToken: TestContext.Current.CancellationToken);
        var alarms = log.Recent.Where(e => e.State == V1.AlertState.Alarm).OrderBy(e => e.Sequence)
            .Select(e => (e.Rule, e.Group, e.Value, e.At.ToDateTimeOffset())).ToList();
        (string, string, double, DateTimeOffset)[] expected =
        [
            (BuiltInAlertRules.PortScan, "192.0.2.99", 101, Minute0.AddMinutes(1)),
            (BuiltInAlertRules.SshBruteForce, "203.0.113.66", 25, Minute0.AddMinutes(2)),
            (BuiltInAlertRules.SshRdpFromOutside, "10.1.0.10", 11, Minute0.AddMinutes(5)),
            (BuiltInAlertRules.SshRdpFromOutside, "10.2.0.20", 50, Minute0.AddMinutes(5)),
            (BuiltInAlertRules.InterfaceRejectRate, "eni-0rr", 0.3, Minute0.AddMinutes(10)),
            (BuiltInAlertRules.AcceptOnlyCapture, "eni-0qu", 501, Minute0.AddMinutes(30)),
        ];
        Assert.Equal(expected.OrderBy(e => e.Item4).ThenBy(e => e.Item1, StringComparer.Ordinal).ThenBy(e => e.Item2, StringComparer.Ordinal),
            alarms.OrderBy(e => e.Item4).ThenBy(e => e.Item1, StringComparer.Ordinal).ThenBy(e => e.Item2, StringComparer.Ordinal));
        // Every alarm of a 1-of-1 rule whose traffic stopped is back to OK; the N-of-M ones too after their periods.
        Assert.DoesNotContain(log.Active, e => e.Rule is BuiltInAlertRules.PortScan or BuiltInAlertRules.SshBruteForce or BuiltInAlertRules.SshRdpFromOutside);
    }

    [Fact]
    public async Task InvalidRule_ServerDoesNotStart_AndSaysWhichKeyIsWrong()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AlertsServer.StartAsync(Start, new Dictionary<string, string?>
        {
            ["Rules:0:Name"] = "bad",
            ["Rules:0:Aggregation"] = "flowz",
            ["Rules:0:Filter:SourceCidrs:0"] = "10.0.0.0/33",
        }));
        Assert.Contains("FlowMesh:Alerts:Rules:0:Aggregation 'flowz' is not one of", error.Message, StringComparison.Ordinal);
        Assert.Contains("FlowMesh:Alerts:Rules:0:Filter:SourceCidrs: '10.0.0.0/33' has an invalid prefix length", error.Message, StringComparison.Ordinal);
    }

    private static async Task AdvanceAllAsync(AlertsServer server, TimeSpan by)
    {
        server.Clock.Advance(by);
        foreach (var name in BuiltInAlertRules.Names)
            await server.Grains.GetGrain<IAlertRuleGrain>(GrainKeys.AlertRule(name)).TickAsync();
    }
}
