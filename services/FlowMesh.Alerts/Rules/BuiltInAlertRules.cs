namespace FlowMesh.Alerts.Rules;

/// <summary>The rules FlowMesh ships; <see cref="AlertsOptions.BuiltInRules"/> picks which run.</summary>
public static class BuiltInAlertRules
{
    public const string SshRdpFromOutside = "ssh-rdp-from-outside";
    public const string SshBruteForce = "ssh-brute-force";
    public const string InterfaceRejectRate = "interface-reject-rate";
    public const string PortScan = "port-scan";
    public const string AcceptOnlyCapture = "accept-only-capture";

    /// <summary>The built-ins that run unless configured otherwise.</summary>
    public static IReadOnlyList<string> Defaults { get; } = [SshRdpFromOutside, SshBruteForce, InterfaceRejectRate, PortScan];

    public static IReadOnlyList<string> Names { get; } = [.. Defaults, AcceptOnlyCapture];

    /// <summary>A fresh copy of a built-in rule's definition (callers may not share it).</summary>
    public static AlertRuleOptions? Create(string name) => name switch
    {
        SshRdpFromOutside => new AlertRuleOptions
        {
            Name = SshRdpFromOutside,
            Description = "SSH (22) or RDP (3389) from outside the VPC: more than 10 flows to one address in 5 minutes.",
            Filter = new AlertFilterOptions { DestinationPorts = [22, 3389], Protocols = ["tcp"], Source = "outside" },
            Aggregation = "flows",
            GroupBy = "destination",
            Period = TimeSpan.FromMinutes(5),
            Threshold = 10,
        },
        SshBruteForce => new AlertRuleOptions
        {
            Name = SshBruteForce,
            Description = "Rejected SSH per source (brute force): more than 20 rejected flows a minute in 2 of 3 minutes.",
            Filter = new AlertFilterOptions { DestinationPorts = [22], Protocols = ["tcp"], Action = "reject" },
            Aggregation = "rejected_flows",
            GroupBy = "source",
            Period = TimeSpan.FromMinutes(1),
            Threshold = 20,
            EvaluationPeriods = 3,
            DatapointsToAlarm = 2,
        },
        InterfaceRejectRate => new AlertRuleOptions
        {
            Name = InterfaceRejectRate,
            Description = "Reject rate of an interface above 20 % (of at least 100 flows) in 2 of 3 five-minute periods.",
            Aggregation = "reject_rate",
            GroupBy = "interface",
            Period = TimeSpan.FromMinutes(5),
            Threshold = 0.2,
            EvaluationPeriods = 3,
            DatapointsToAlarm = 2,
            MinimumFlows = 100,
        },
        PortScan => new AlertRuleOptions
        {
            Name = PortScan,
            Description = "One source touching more than 100 distinct destination ports in a minute (port scan); a service's replies to its clients' ephemeral ports do not count.",
            Filter = new AlertFilterOptions { ExcludeReplies = true },
            Aggregation = "distinct_destination_ports",
            GroupBy = "source",
            Period = TimeSpan.FromMinutes(1),
            Threshold = 100,
        },
        AcceptOnlyCapture => new AlertRuleOptions
        {
            Name = AcceptOnlyCapture,
            Description = "An interface sent more than 500 flows in 30 minutes and not one REJECT: the flow log probably captures ACCEPT only, " +
                          "so rejected traffic will not appear; create a flow log with traffic type ALL.",
            Aggregation = "flows_without_rejects",
            GroupBy = "interface",
            Period = TimeSpan.FromMinutes(30),
            Threshold = 500,
        },
        _ => null,
    };
}
