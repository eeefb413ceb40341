namespace FlowMesh.Alerts.Rules;

/// <summary>
/// Alerting settings (configuration section <c>FlowMesh:Alerts</c>). Every role reads the same
/// section: ingest evaluates rule filters on each flush, the silo keeps each rule's periods and
/// alarm states, the query role lists rules and streams alarms.
/// </summary>
public sealed class AlertsOptions
{
    public const string SectionName = "FlowMesh:Alerts";

    /// <summary>Off: no rule is evaluated, nothing is sent; the alert RPCs answer with no rules.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Which built-in rules run: <c>default</c> (ssh-rdp-from-outside, ssh-brute-force,
    /// interface-reject-rate, port-scan), <c>none</c>, <c>all</c> (adds accept-only-capture), or a
    /// comma-separated list of names. A configured rule with a built-in's name replaces it.
    /// </summary>
    public string BuiltInRules { get; set; } = "default";

    /// <summary>
    /// The address space counted as "inside the VPC" by filters with <c>Source: outside</c> or
    /// <c>Destination: inside</c>; empty means the private ranges (<see cref="CidrBlock.PrivateRanges"/>).
    /// Set it to your VPCs' CIDR blocks.
    /// </summary>
    public List<string> InternalCidrs { get; set; } = [];

    /// <summary>User-defined rules (added to the built-ins).</summary>
    public List<AlertRuleOptions> Rules { get; set; } = [];

    /// <summary>Receivers of every transition (OK→ALARM and back), each signed with its own secret.</summary>
    public List<AlertWebhookOptions> Webhooks { get; set; } = [];

    /// <summary>How often the silo closes elapsed periods (so a rule recovers to OK when its traffic stops).</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Groups one rule tracks in one period; data of further groups is dropped and counted.</summary>
    public int MaxGroupsPerRule { get; set; } = 10_000;

    /// <summary>Transitions kept for ListAlerts and for streams that reconnect.</summary>
    public int RecentTransitions { get; set; } = 1_000;
}

/// <summary>
/// One alert rule: which records count (<see cref="Filter"/>), what is measured
/// (<see cref="Aggregation"/>), per what (<see cref="GroupBy"/>), over which period, and when it
/// alarms: the value is above <see cref="Threshold"/> in at least <see cref="DatapointsToAlarm"/> of
/// the last <see cref="EvaluationPeriods"/> periods; it returns to OK when as many are not.
/// </summary>
public sealed class AlertRuleOptions
{
    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public bool Enabled { get; set; } = true;

    public AlertFilterOptions Filter { get; set; } = new();

    /// <summary>flows, packets, bytes, rejected_flows, reject_rate, distinct_sources, distinct_destinations, distinct_destination_ports, flows_without_rejects.</summary>
    public string Aggregation { get; set; } = "flows";

    /// <summary>none, source, destination, interface, destination_port, vpc, account.</summary>
    public string GroupBy { get; set; } = "none";

    /// <summary>The evaluation window: values are summed over periods of this length (arrival time), 1 s to 1 h.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The value must be strictly above this to breach (reject_rate is a fraction, 0.2 = 20 %).</summary>
    public double Threshold { get; set; }

    public int EvaluationPeriods { get; set; } = 1;

    public int DatapointsToAlarm { get; set; } = 1;

    /// <summary>For reject_rate: periods with fewer flows than this evaluate to 0 (a lone reject is not a 100 % rate).</summary>
    public long MinimumFlows { get; set; }
}

/// <summary>Which records a rule counts; every condition that is set must hold.</summary>
public sealed class AlertFilterOptions
{
    public List<int> DestinationPorts { get; set; } = [];

    /// <summary>tcp, udp, icmp, icmpv6 or IANA numbers.</summary>
    public List<string> Protocols { get; set; } = [];

    /// <summary>accept or reject.</summary>
    public string? Action { get; set; }

    /// <summary>ingress or egress (records without flow-direction never match a direction filter).</summary>
    public string? Direction { get; set; }

    /// <summary>inside or outside <see cref="AlertsOptions.InternalCidrs"/>.</summary>
    public string? Source { get; set; }

    /// <summary>inside or outside <see cref="AlertsOptions.InternalCidrs"/>.</summary>
    public string? Destination { get; set; }

    public List<string> SourceCidrs { get; set; } = [];

    public List<string> DestinationCidrs { get; set; } = [];

    public List<string> Interfaces { get; set; } = [];

    public List<string> Vpcs { get; set; } = [];

    /// <summary>
    /// Leave out a service's replies: records whose source port is at most their destination port
    /// (443 → 51234), i.e. rows that keep their source port. AWS logs every reply as a flow of its own,
    /// so a busy server "touches" thousands of its clients' ephemeral ports a minute. Records without
    /// a source port (formats that lack srcport) are never treated as replies.
    /// </summary>
    public bool ExcludeReplies { get; set; }
}

/// <summary>One webhook receiver.</summary>
public sealed class AlertWebhookOptions
{
    public string Url { get; set; } = "";

    /// <summary>HMAC-SHA256 key for the X-FlowMesh-Signature header; set it from a secret (FlowMesh__Alerts__Webhooks__0__Secret).</summary>
    public string Secret { get; set; } = "";

    /// <summary>Rules whose transitions go to this receiver; empty means all.</summary>
    public List<string> Rules { get; set; } = [];

    public int MaxAttempts { get; set; } = 6;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);
}
