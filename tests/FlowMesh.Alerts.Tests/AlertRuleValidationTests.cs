using FlowMesh.Alerts.Rules;
using Microsoft.Extensions.Configuration;

namespace FlowMesh.Alerts.Tests;

/// <summary>
/// <see cref="AlertRuleSet.TryCreate"/> on settings bound from configuration exactly as the service binds
/// them: every problem names its key and value; valid selections produce exactly the expected rules.
/// </summary>
public sealed class AlertRuleValidationTests
{
    private const string Section = AlertsOptions.SectionName;

    [Theory]
    [InlineData("Rules:0:Aggregation", "flowz", "FlowMesh:Alerts:Rules:0:Aggregation 'flowz'")]
    [InlineData("Rules:0:GroupBy", "sauce", "FlowMesh:Alerts:Rules:0:GroupBy 'sauce'")]
    [InlineData("Rules:0:Period", "00:00:00.5", "FlowMesh:Alerts:Rules:0:Period 00:00:00.5")]
    [InlineData("Rules:0:Period", "02:00:00", "FlowMesh:Alerts:Rules:0:Period 02:00:00")]
    [InlineData("Rules:0:Period", "00:00:00", "FlowMesh:Alerts:Rules:0:Period 00:00:00")]
    [InlineData("Rules:0:Threshold", "-1", "FlowMesh:Alerts:Rules:0:Threshold -1")]
    [InlineData("Rules:0:Threshold", "NaN", "FlowMesh:Alerts:Rules:0:Threshold NaN")]
    [InlineData("Rules:0:EvaluationPeriods", "61", "FlowMesh:Alerts:Rules:0:EvaluationPeriods 61")]
    [InlineData("Rules:0:DatapointsToAlarm", "2", "FlowMesh:Alerts:Rules:0:DatapointsToAlarm 2")]
    [InlineData("Rules:0:DatapointsToAlarm", "0", "FlowMesh:Alerts:Rules:0:DatapointsToAlarm 0")]
    [InlineData("Rules:0:MinimumFlows", "-5", "FlowMesh:Alerts:Rules:0:MinimumFlows -5")]
    [InlineData("Rules:0:Name", "has space", "FlowMesh:Alerts:Rules:0:Name 'has space'")]
    [InlineData("Rules:0:Name", "", "FlowMesh:Alerts:Rules:0:Name ''")]
    [InlineData("Rules:0:Filter:Protocols:0", "tcpp", "FlowMesh:Alerts:Rules:0:Filter:Protocols 'tcpp'")]
    [InlineData("Rules:0:Filter:Protocols:0", "256", "FlowMesh:Alerts:Rules:0:Filter:Protocols '256'")]
    [InlineData("Rules:0:Filter:Protocols:0", "-6", "FlowMesh:Alerts:Rules:0:Filter:Protocols '-6'")]
    [InlineData("Rules:0:Filter:DestinationPorts:0", "70000", "FlowMesh:Alerts:Rules:0:Filter:DestinationPorts 70000")]
    [InlineData("Rules:0:Filter:DestinationPorts:0", "-1", "FlowMesh:Alerts:Rules:0:Filter:DestinationPorts -1")]
    [InlineData("Rules:0:Filter:Action", "drop", "FlowMesh:Alerts:Rules:0:Filter:Action 'drop'")]
    [InlineData("Rules:0:Filter:Direction", "sideways", "FlowMesh:Alerts:Rules:0:Filter:Direction 'sideways'")]
    [InlineData("Rules:0:Filter:Source", "nearby", "FlowMesh:Alerts:Rules:0:Filter:Source 'nearby'")]
    [InlineData("Rules:0:Filter:Destination", "elsewhere", "FlowMesh:Alerts:Rules:0:Filter:Destination 'elsewhere'")]
    [InlineData("Rules:0:Filter:SourceCidrs:0", "10.0.0.0/33", "FlowMesh:Alerts:Rules:0:Filter:SourceCidrs: '10.0.0.0/33'")]
    [InlineData("Rules:0:Filter:DestinationCidrs:0", "fc00::/129", "FlowMesh:Alerts:Rules:0:Filter:DestinationCidrs: 'fc00::/129'")]
    [InlineData("Rules:0:Filter:DestinationCidrs:0", "not-a-cidr", "FlowMesh:Alerts:Rules:0:Filter:DestinationCidrs: 'not-a-cidr'")]
    [InlineData("InternalCidrs:0", "10.0.0.0/8x", "FlowMesh:Alerts:InternalCidrs: '10.0.0.0/8x'")]
    [InlineData("BuiltInRules", "ssh-brute-force,port-scann", "FlowMesh:Alerts:BuiltInRules names 'port-scann'")]
    [InlineData("EvaluationInterval", "00:00:00.05", "FlowMesh:Alerts:EvaluationInterval 00:00:00.05")]
    [InlineData("EvaluationInterval", "00:02:00", "FlowMesh:Alerts:EvaluationInterval 00:02:00")]
    [InlineData("MaxGroupsPerRule", "0", "FlowMesh:Alerts:MaxGroupsPerRule 0")]
    [InlineData("RecentTransitions", "0", "FlowMesh:Alerts:RecentTransitions 0")]
    [InlineData("Webhooks:0:Url", "/hooks/flowmesh", "FlowMesh:Alerts:Webhooks:0:Url '/hooks/flowmesh'")]
    [InlineData("Webhooks:0:Url", "hooks.example.com/flowmesh", "FlowMesh:Alerts:Webhooks:0:Url 'hooks.example.com/flowmesh'")]
    [InlineData("Webhooks:0:Url", "ftp://hooks.example.com/flowmesh", "FlowMesh:Alerts:Webhooks:0:Url 'ftp://hooks.example.com/flowmesh'")]
    [InlineData("Webhooks:0:Secret", "", "FlowMesh:Alerts:Webhooks:0:Secret is not set")]
    [InlineData("Webhooks:0:Rules:0", "ghost", "FlowMesh:Alerts:Webhooks:0:Rules names 'ghost'")]
    [InlineData("Webhooks:0:Rules:0", "port-scan", "FlowMesh:Alerts:Webhooks:0:Rules names 'port-scan'")]
    [InlineData("Webhooks:0:MaxAttempts", "0", "FlowMesh:Alerts:Webhooks:0:MaxAttempts 0")]
    [InlineData("Webhooks:0:InitialBackoff", "00:10:00", "FlowMesh:Alerts:Webhooks:0:InitialBackoff 00:10:00")]
    public void TryCreate_OneBadSetting_OneFailureNamingKeyAndValue(string key, string value, string expected)
    {
        var options = Bind(ValidSettings(), (key, value));

        var (set, failures) = AlertRuleSet.TryCreate(options);

        Assert.Null(set);
        var failure = Assert.Single(failures);
        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
        var thrown = Assert.Throws<ArgumentException>(() => AlertRuleSet.Create(Bind(ValidSettings(), (key, value))));
        Assert.Contains(expected, thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Rules:0:Period", "00:00:01")]
    [InlineData("Rules:0:Period", "01:00:00")]
    [InlineData("Rules:0:Threshold", "0")]
    [InlineData("Rules:0:Filter:Protocols:0", "255")]
    [InlineData("Rules:0:Filter:Protocols:0", " ICMPv6 ")]
    [InlineData("Rules:0:Filter:DestinationPorts:0", "0")]
    [InlineData("Rules:0:Filter:DestinationPorts:0", "65535")]
    [InlineData("Rules:0:Filter:Action", "REJECT")]
    [InlineData("Rules:0:Filter:Direction", "Egress")]
    [InlineData("Rules:0:Filter:Source", "OUTSIDE")]
    [InlineData("Rules:0:Filter:SourceCidrs:0", "2600:1f18::/32")]
    [InlineData("Rules:0:Filter:DestinationCidrs:0", "10.1.2.3")]
    [InlineData("Rules:0:Name", "my.rule_2-b")]
    [InlineData("EvaluationInterval", "00:00:00.1")]
    [InlineData("EvaluationInterval", "00:01:00")]
    [InlineData("BuiltInRules", " ssh-brute-force , port-scan ")]
    [InlineData("Webhooks:0:Rules:0", "custom")]
    [InlineData("Webhooks:0:Url", "http://10.0.0.5:8080/hook")]
    public void TryCreate_EdgeButValidSetting_NoFailures(string key, string value)
    {
        var (set, failures) = AlertRuleSet.TryCreate(Bind(ValidSettings(), (key, value)));
        Assert.Empty(failures);
        Assert.NotNull(set);
    }

    [Theory]
    [InlineData("0.99", true)]
    [InlineData("1", false)]
    [InlineData("1.5", false)]
    public void TryCreate_RejectRateThreshold_MustBeBelowOne(string threshold, bool valid)
    {
        var options = Bind(ValidSettings(), ("Rules:0:Aggregation", "reject_rate"), ("Rules:0:Threshold", threshold));
        var (set, failures) = AlertRuleSet.TryCreate(options);
        if (valid)
        {
            Assert.Empty(failures);
            Assert.Equal(AlertAggregation.RejectRate, Assert.Single(set!.Rules, r => r.Name == "custom").Aggregation);
        }
        else
        {
            var failure = Assert.Single(failures);
            Assert.StartsWith($"{Section}:Rules:0:Threshold {threshold} can never be exceeded by reject_rate", failure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryCreate_ManyProblems_AllReported()
    {
        var options = Bind(ValidSettings(),
            ("EvaluationInterval", "00:05:00"),
            ("BuiltInRules", "port-scan,nope"),
            ("InternalCidrs:0", "10.0.0.0/99"),
            ("Rules:0:Aggregation", "flowz"),
            ("Rules:0:GroupBy", "sauce"),
            ("Rules:0:Period", "02:00:00"),
            ("Rules:0:Threshold", "-3"),
            ("Rules:0:EvaluationPeriods", "2"),
            ("Rules:0:DatapointsToAlarm", "3"),
            ("Rules:0:Filter:DestinationPorts:0", "22"),
            ("Rules:0:Filter:DestinationPorts:1", "70000"),
            ("Rules:0:Filter:Protocols:0", "tcp"),
            ("Rules:0:Filter:Protocols:1", "sctpx"),
            ("Rules:0:Filter:Action", "drop"),
            ("Rules:0:Filter:Direction", "up"),
            ("Rules:0:Filter:Source", "near"),
            ("Rules:0:Filter:Destination", "far"),
            ("Rules:0:Filter:SourceCidrs:0", "10.0.0.0/8"),
            ("Rules:0:Filter:SourceCidrs:1", "10.0.0.300/8"),
            ("Rules:0:Filter:DestinationCidrs:0", ""),
            ("Rules:1:Name", "custom"),
            ("Rules:2:Name", "other"),
            ("Rules:2:Aggregation", "reject_rate"),
            ("Rules:2:Threshold", "2"),
            ("Webhooks:0:Url", "relative/path"),
            ("Webhooks:0:Secret", ""),
            ("Webhooks:0:Rules:0", "ghost"),
            ("Webhooks:1:Url", "https://hooks.example.com/b"),
            ("Webhooks:1:Secret", "s2"),
            ("Webhooks:1:Rules:0", "ssh-brute-force"));

        var (set, failures) = AlertRuleSet.TryCreate(options);

        Assert.Null(set);
        string[] expected =
        [
            $"{Section}:EvaluationInterval 00:05:00 ",
            $"{Section}:BuiltInRules names 'nope'",
            $"{Section}:InternalCidrs: '10.0.0.0/99'",
            $"{Section}:Rules:0:Aggregation 'flowz'",
            $"{Section}:Rules:0:GroupBy 'sauce'",
            $"{Section}:Rules:0:Period 02:00:00 ",
            $"{Section}:Rules:0:Threshold -3 ",
            $"{Section}:Rules:0:DatapointsToAlarm 3 ",
            $"{Section}:Rules:0:Filter:DestinationPorts 70000 ",
            $"{Section}:Rules:0:Filter:Protocols 'sctpx'",
            $"{Section}:Rules:0:Filter:Action 'drop'",
            $"{Section}:Rules:0:Filter:Direction 'up'",
            $"{Section}:Rules:0:Filter:Source 'near'",
            $"{Section}:Rules:0:Filter:Destination 'far'",
            $"{Section}:Rules:0:Filter:SourceCidrs: '10.0.0.300/8'",
            $"{Section}:Rules:0:Filter:DestinationCidrs: is empty",
            $"{Section}:Rules:1:Name 'custom' is used by another rule",
            $"{Section}:Rules:2:Threshold 2 can never be exceeded",
            $"{Section}:Webhooks:0:Url 'relative/path'",
            $"{Section}:Webhooks:0:Secret is not set",
            $"{Section}:Webhooks:0:Rules names 'ghost'",
            $"{Section}:Webhooks:1:Rules names 'ssh-brute-force'",
        ];
        foreach (var fragment in expected)
            Assert.True(failures.Count(f => f.StartsWith(fragment, StringComparison.Ordinal)) == 1, $"expected one failure starting with \"{fragment}\" in:\n{string.Join("\n", failures)}");
        Assert.Equal(expected.Length, failures.Count);

        var thrown = Assert.Throws<ArgumentException>(() => AlertRuleSet.Create(options));
        Assert.All(expected, fragment => Assert.Contains(fragment, thrown.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void TryCreate_DuplicateNames_Reported()
    {
        var failures = AlertRuleSet.TryCreate(Bind(new() { ["BuiltInRules"] = "none", ["Rules:0:Name"] = "a", ["Rules:1:Name"] = "b", ["Rules:2:Name"] = "a" })).Failures;
        Assert.Equal($"{Section}:Rules:2:Name 'a' is used by another rule; names must be unique.", Assert.Single(failures));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("none")]
    [InlineData("port-scan")]
    public void TryCreate_TwoConfiguredRulesWithABuiltInsName_Reported(string builtIns)
    {
        // The first replaces the built-in (when selected); the second is a duplicate, not a second replacement.
        var options = Bind(new()
        {
            ["BuiltInRules"] = builtIns,
            ["Rules:0:Name"] = BuiltInAlertRules.PortScan,
            ["Rules:0:Aggregation"] = "distinct_destination_ports",
            ["Rules:0:Threshold"] = "250",
            ["Rules:1:Name"] = BuiltInAlertRules.PortScan,
            ["Rules:1:Threshold"] = "5",
        });
        var failures = AlertRuleSet.TryCreate(options).Failures;
        Assert.Equal($"{Section}:Rules:1:Name 'port-scan' is used by another rule; names must be unique.", Assert.Single(failures));
    }

    [Fact]
    public void TryCreate_ConfiguredRuleWithABuiltInsName_ReplacesTheBuiltIn()
    {
        var set = AlertRuleSet.Create(Bind(new()
        {
            ["Rules:0:Name"] = BuiltInAlertRules.PortScan,
            ["Rules:0:Aggregation"] = "distinct_destination_ports",
            ["Rules:0:GroupBy"] = "source",
            ["Rules:0:Threshold"] = "250",
        }));

        Assert.Equal(BuiltInAlertRules.Defaults.Order(StringComparer.Ordinal), set.Rules.Select(r => r.Name).Order(StringComparer.Ordinal));
        var rule = Assert.Single(set.Rules, r => r.Name == BuiltInAlertRules.PortScan);
        Assert.Equal(250, rule.Threshold);
        Assert.Same(rule, set.Find(BuiltInAlertRules.PortScan));
        Assert.Contains("> 250 ", rule.Summary(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none", new string[0])]
    [InlineData("NONE", new string[0])]
    [InlineData("default", new[] { "ssh-rdp-from-outside", "ssh-brute-force", "interface-reject-rate", "port-scan" })]
    [InlineData("", new[] { "ssh-rdp-from-outside", "ssh-brute-force", "interface-reject-rate", "port-scan" })]
    [InlineData("all", new[] { "ssh-rdp-from-outside", "ssh-brute-force", "interface-reject-rate", "port-scan", "accept-only-capture" })]
    [InlineData("All", new[] { "ssh-rdp-from-outside", "ssh-brute-force", "interface-reject-rate", "port-scan", "accept-only-capture" })]
    [InlineData("ssh-brute-force,port-scan", new[] { "ssh-brute-force", "port-scan" })]
    [InlineData(" port-scan , ssh-brute-force,port-scan,", new[] { "ssh-brute-force", "port-scan" })]
    [InlineData("accept-only-capture", new[] { "accept-only-capture" })]
    public void TryCreate_BuiltInSelection_SelectsExactlyThose(string selection, string[] expected)
    {
        var set = AlertRuleSet.Create(new AlertsOptions { BuiltInRules = selection });
        Assert.Equal(expected.Order(StringComparer.Ordinal), set.Rules.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(set.Rules, r => Assert.True(r.BuiltIn));
    }

    [Fact]
    public void TryCreate_DisabledRules_AreLeftOut()
    {
        var set = AlertRuleSet.Create(Bind(new()
        {
            ["Rules:0:Name"] = BuiltInAlertRules.PortScan,
            ["Rules:0:Enabled"] = "false",
            ["Rules:1:Name"] = "custom-off",
            ["Rules:1:Enabled"] = "false",
            ["Rules:2:Name"] = "custom-on",
        }));

        Assert.Equal(
            new[] { "custom-on", BuiltInAlertRules.InterfaceRejectRate, BuiltInAlertRules.SshBruteForce, BuiltInAlertRules.SshRdpFromOutside }.Order(StringComparer.Ordinal),
            set.Rules.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Null(set.Find(BuiltInAlertRules.PortScan));
        Assert.Null(set.Find("custom-off"));
        Assert.False(Assert.Single(set.Rules, r => r.Name == "custom-on").BuiltIn);
    }

    [Fact]
    public void TryCreate_AlertsDisabled_NoRules()
    {
        var (set, failures) = AlertRuleSet.TryCreate(Bind(ValidSettings(), ("Enabled", "false"), ("BuiltInRules", "all")));
        Assert.Empty(failures);
        Assert.Empty(set!.Rules);
        Assert.Empty(set.Evaluate([]));
        Assert.Empty(AlertRuleSet.Empty.Rules);
    }

    [Fact]
    public void BuiltIns_EachCompiles_AndItsSummaryNamesItsThreshold()
    {
        var expectedThreshold = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BuiltInAlertRules.SshRdpFromOutside] = "> 10 in 1 of 1 periods of 00:05:00",
            [BuiltInAlertRules.SshBruteForce] = "> 20 in 2 of 3 periods of 00:01:00",
            [BuiltInAlertRules.InterfaceRejectRate] = "> 20.0 % in 2 of 3 periods of 00:05:00",
            [BuiltInAlertRules.PortScan] = "> 100 in 1 of 1 periods of 00:01:00",
            [BuiltInAlertRules.AcceptOnlyCapture] = "> 500 in 1 of 1 periods of 00:30:00",
        };
        Assert.Equal(expectedThreshold.Keys.Order(StringComparer.Ordinal), BuiltInAlertRules.Names.Order(StringComparer.Ordinal));
        Assert.Subset(BuiltInAlertRules.Names.ToHashSet(), BuiltInAlertRules.Defaults.ToHashSet());

        foreach (var name in BuiltInAlertRules.Names)
        {
            var set = AlertRuleSet.Create(new AlertsOptions { BuiltInRules = name });
            var rule = Assert.Single(set.Rules);
            Assert.Equal(name, rule.Name);
            Assert.True(rule.BuiltIn);
            Assert.NotEmpty(rule.Description);
            Assert.EndsWith(expectedThreshold[name], rule.Summary(), StringComparison.Ordinal);
            // Each call returns a fresh copy.
            Assert.NotSame(BuiltInAlertRules.Create(name), BuiltInAlertRules.Create(name));
        }
        Assert.Null(BuiltInAlertRules.Create("nope"));
    }

    /// <summary>One valid custom rule and one valid webhook; the tests change one setting at a time.</summary>
    private static Dictionary<string, string?> ValidSettings() => new()
    {
        ["BuiltInRules"] = "ssh-brute-force",
        ["Rules:0:Name"] = "custom",
        ["Rules:0:Aggregation"] = "flows",
        ["Rules:0:GroupBy"] = "source",
        ["Rules:0:Period"] = "00:01:00",
        ["Rules:0:Threshold"] = "10",
        ["Webhooks:0:Url"] = "https://hooks.example.com/flowmesh",
        ["Webhooks:0:Secret"] = "s3cr3t",
        ["Webhooks:0:Rules:0"] = "ssh-brute-force",
    };

    private static AlertsOptions Bind(Dictionary<string, string?> settings, params (string Key, string Value)[] changes)
    {
        foreach (var (key, value) in changes) settings[key] = value;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(p => KeyValuePair.Create($"{Section}:{p.Key}", p.Value)))
            .Build();
        var options = new AlertsOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }
}
