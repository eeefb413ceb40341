using System.Globalization;
using System.Net;
using FlowMesh.Aggregation.Batching;
using FlowMesh.Alerts.Rules;
using FlowMesh.FlowLogs;

namespace FlowMesh.Alerts.Tests;

/// <summary>
/// <see cref="AlertRuleSet.Evaluate"/> against a LINQ brute force written from the documented
/// filter, aggregation and group-by semantics, over thousands of random rows.
/// </summary>
public sealed class AlertRuleSetEvaluateTests
{
    private static readonly string[] ExplicitInternal = ["10.1.0.0/16", "192.0.2.0/25", "2600:1f18:aaaa::/48"];

    // Addresses on both sides of every private range's edges, the explicit internal ranges, and public space.
    private static readonly string[] FixedAddresses =
    [
        "10.0.0.0", "10.255.255.255", "9.255.255.255", "11.0.0.0",
        "172.15.255.255", "172.16.0.0", "172.31.255.255", "172.32.0.0",
        "192.167.255.255", "192.168.0.0", "192.168.255.255", "192.169.0.0",
        "100.63.255.255", "100.64.0.0", "100.127.255.255", "100.128.0.0",
        "10.1.0.0", "10.1.255.255", "10.0.255.255", "10.2.0.0",
        "192.0.2.0", "192.0.2.127", "192.0.2.128", "192.0.2.255",
        "203.0.113.10", "203.0.113.66", "198.51.100.23",
        "fc00::", "fd12::1", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe00::", "fe80::1",
        "2600:1f18:aaaa::1", "2600:1f18:aaaa:ffff:ffff:ffff:ffff:ffff", "2600:1f18:aaab::", "2001:db8::7",
        "::ffff:10.0.0.1",
    ];

    private static readonly int[] CommonPorts = [22, 3389, 443, 80, 53, 8080, 5432, 0];
    private static readonly string?[] InterfaceIds = ["eni-0a", "eni-0b", "eni-0c", null];
    private static readonly string?[] VpcIds = ["vpc-1", "vpc-2", null];
    private static readonly string?[] AccountIds = ["111111111111", "222222222222", null];

    [Fact]
    public void Evaluate_RandomRows_DefaultPrivateRanges_MatchesBruteForce()
    {
        var options = Options(internalCidrs: [], builtIns: "all");
        AssertEvaluateMatchesBruteForce(options, CidrBlock.PrivateRanges, seed: 17);
    }

    [Fact]
    public void Evaluate_RandomRows_ExplicitInternalCidrs_MatchesBruteForce()
    {
        var options = Options(internalCidrs: ExplicitInternal, builtIns: "none");
        AssertEvaluateMatchesBruteForce(options, ExplicitInternal, seed: 4242);
    }

    [Fact]
    public void Evaluate_FlushesMergedThroughGroupAggregate_EqualWholeBatch()
    {
        var set = AlertRuleSet.Create(Options(internalCidrs: [], builtIns: "all"));
        var rows = RandomRows(new Random(99), 3000);
        var whole = set.Evaluate(rows).ToDictionary(m => m.Rule.Name, m => m.Groups);

        var merged = new Dictionary<string, Dictionary<AlertGroupKey, GroupAggregate>>(StringComparer.Ordinal);
        foreach (var flush in new[] { rows[..700], rows[700..701], rows[701..2500], rows[2500..] })
        {
            foreach (var match in set.Evaluate(flush))
            {
                var groups = merged.TryGetValue(match.Rule.Name, out var g) ? g : merged[match.Rule.Name] = [];
                foreach (var (key, part) in match.Groups)
                {
                    if (!groups.TryGetValue(key, out var total)) groups[key] = total = new GroupAggregate();
                    total.Merge(part.Flows, part.Packets, part.Bytes, part.RejectedFlows, part.Addresses?.ToArray(), part.Ports?.ToArray());
                }
            }
        }

        Assert.Equal(whole.Keys.Order(StringComparer.Ordinal), merged.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, groups) in whole)
        {
            var rule = set.Find(name)!;
            Assert.Equal(Describe(rule, groups), Describe(rule, merged[name]));
        }
    }

    [Fact]
    public void AlertEvaluator_ReusedAcrossFlushes_SameGroupsSumsAndSetsAsAFreshEvaluation()
    {
        var set = AlertRuleSet.Create(Options(internalCidrs: [], builtIns: "all"));
        var evaluator = new AlertEvaluator(set);
        var rows = RandomRows(new Random(5), 6000);

        // A large flush first (tables and sets grow), then ones where groups, rules and sets come and go.
        var flushes = new[] { rows[..3000], rows[3000..3001], rows[..0], rows[3001..], rows[..200], rows[100..4000] };
        foreach (var flush in flushes)
        {
            var reused = evaluator.Evaluate(flush);
            Assert.Equal(Everything(set.Evaluate(flush)), Everything(reused));
        }
    }

    private static List<string> Everything(IEnumerable<RuleMatches> matches) =>
    [
        .. matches.SelectMany(m => m.Groups.Select(g => string.Join(" | ",
            m.Rule.Name, g.Key.ToText(m.Rule.GroupBy), g.Value.Flows, g.Value.Packets, g.Value.Bytes, g.Value.RejectedFlows,
            string.Join(",", (g.Value.Addresses ?? []).Select(a => a.ToString()).Order(StringComparer.Ordinal)),
            string.Join(",", (g.Value.Ports ?? []).Order()))))
            .Order(StringComparer.Ordinal),
    ];

    [Fact]
    public void Matches_NoDataAndSkipData_NeverMatchEvenAnUnfilteredRule()
    {
        var set = AlertRuleSet.Create(new AlertsOptions { BuiltInRules = "none", Rules = [new AlertRuleOptions { Name = "everything" }] });
        var rule = Assert.Single(set.Rules);
        var key = new FlowRowKey(0, "eni-0a", "111111111111", "vpc-1", FlowAddress.Parse("203.0.113.10"), FlowAddress.Parse("10.0.0.1"),
            22, 6, FlowAction.Reject, FlowDirection.Ingress, LogStatus.Ok);

        Assert.True(rule.Matches(new FlowRow(key, 1, 1, 60)));
        Assert.True(rule.Matches(new FlowRow(key with { Status = LogStatus.None }, 1, 1, 60)));
        Assert.False(rule.Matches(new FlowRow(key with { Status = LogStatus.NoData }, 1, 1, 60)));
        Assert.False(rule.Matches(new FlowRow(key with { Status = LogStatus.SkipData }, 1, 1, 60)));
        Assert.Empty(set.Evaluate([new FlowRow(key with { Status = LogStatus.NoData }, 5, 0, 0)]));
    }

    [Theory]
    [InlineData(0L, 3L, 1L, 1.0 / 3)]
    [InlineData(30L, 29L, 29L, 0.0)]
    [InlineData(30L, 30L, 6L, 0.2)]
    [InlineData(0L, 0L, 0L, 0.0)]
    public void Value_RejectRate_RespectsMinimumFlows(long minimumFlows, long flows, long rejected, double expected)
    {
        var set = AlertRuleSet.Create(new AlertsOptions
        {
            BuiltInRules = "none",
            Rules = [new AlertRuleOptions { Name = "rate", Aggregation = "reject_rate", Threshold = 0.5, MinimumFlows = minimumFlows }],
        });
        var rule = Assert.Single(set.Rules);
        var aggregate = new GroupAggregate();
        aggregate.Merge(flows, flows, flows * 100, rejected, null, null);
        Assert.Equal(expected, rule.Value(aggregate));
        Assert.Equal(0, rule.Value(null));
    }

    private static void AssertEvaluateMatchesBruteForce(AlertsOptions options, IReadOnlyList<string> internalCidrs, int seed)
    {
        var set = AlertRuleSet.Create(options);
        var rows = RandomRows(new Random(seed), 6000);

        var result = set.Evaluate(rows);

        // One entry per rule that matched anything, in rule order.
        Assert.Equal(result.Count, result.Select(m => m.Rule.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(set.Rules.Where(r => result.Any(m => m.Rule == r)).Select(r => r.Name), result.Select(m => m.Rule.Name));

        var nonEmpty = 0;
        foreach (var rule in set.Rules)
        {
            var expected = BruteForce(rule.Options, internalCidrs, rows);
            var match = result.SingleOrDefault(m => m.Rule == rule);
            if (expected.Count == 0)
            {
                Assert.True(match is null, $"{rule.Name} matched nothing, so it must be left out");
                continue;
            }
            nonEmpty++;
            Assert.True(match is not null, $"{rule.Name} matched {expected.Count} groups but is missing from the result");
            var actual = Describe(rule, match.Groups);
            if (!expected.SequenceEqual(actual))
                Assert.Fail($"{rule.Name} ({rule.Summary()}): expected but not produced [{string.Join(", ", expected.Except(actual))}]; produced but not expected [{string.Join(", ", actual.Except(expected))}]");
        }

        // The data and rules are rich enough: every custom rule except the two that can never match found something.
        foreach (var name in options.Rules.Select(r => r.Name))
            Assert.Equal(name.StartsWith("matches-nothing", StringComparison.Ordinal), result.All(m => m.Rule.Name != name));
        Assert.True(nonEmpty >= options.Rules.Count - 2);
        // Grouped rules have several groups; MinimumFlows zeroes some reject rates but not all; some groups are accept-only.
        Assert.Contains(result, m => m.Rule.GroupBy == AlertGroupBy.Source && m.Groups.Count > 10);
        foreach (var name in new[] { "reject-rate-per-source", "reject-rate-per-port" })
        {
            var rule = set.Find(name)!;
            var groups = result.Single(m => m.Rule == rule).Groups.Values;
            Assert.Contains(groups, g => g.RejectedFlows > 0 && rule.Value(g) == 0);
            Assert.Contains(groups, g => rule.Value(g) > 0);
        }
        var acceptOnly = set.Find("accept-only-per-port")!;
        Assert.Contains(result.Single(m => m.Rule == acceptOnly).Groups.Values, g => acceptOnly.Value(g) > 0);
        Assert.Contains(result.Single(m => m.Rule == acceptOnly).Groups.Values, g => g.Flows > 0 && acceptOnly.Value(g) == 0);
    }

    /// <summary>Sorted (group text, value, flows, packets, bytes, rejected flows) of what Evaluate produced.</summary>
    private static List<(string Group, double Value, long Flows, long Packets, long Bytes, long Rejected)> Describe(
        AlertRule rule, Dictionary<AlertGroupKey, GroupAggregate> groups)
    {
        var described = groups.Select(g => (g.Key.ToText(rule.GroupBy), rule.Value(g.Value), g.Value.Flows, g.Value.Packets, g.Value.Bytes, g.Value.RejectedFlows)).ToList();
        Assert.Equal(described.Count, described.Select(d => d.Item1).Distinct(StringComparer.Ordinal).Count());
        return [.. described.OrderBy(d => d.Item1, StringComparer.Ordinal)];
    }

    /// <summary>The expected groups, written from the documented semantics (not from AlertRule).</summary>
    private static List<(string Group, double Value, long Flows, long Packets, long Bytes, long Rejected)> BruteForce(
        AlertRuleOptions rule, IReadOnlyList<string> internalCidrs, FlowRow[] rows)
    {
        var f = rule.Filter;
        var internalNetworks = internalCidrs.Select(IPNetwork.Parse).ToArray();
        var sourceNetworks = f.SourceCidrs.Select(IPNetwork.Parse).ToArray();
        var destinationNetworks = f.DestinationCidrs.Select(IPNetwork.Parse).ToArray();
        var protocols = f.Protocols.Select(p => p.Trim().ToUpperInvariant() switch
        {
            "TCP" => 6,
            "UDP" => 17,
            "ICMP" => 1,
            "ICMPV6" => 58,
            var n => int.Parse(n, CultureInfo.InvariantCulture),
        }).ToList();

        var matching = rows
            .Where(r => r.Key.Status is LogStatus.Ok or LogStatus.None)
            .Where(r => f.DestinationPorts.Count == 0 || f.DestinationPorts.Contains(r.Key.DestinationPort))
            .Where(r => protocols.Count == 0 || protocols.Contains(r.Key.Protocol))
            .Where(r => string.IsNullOrWhiteSpace(f.Action) || string.Equals(f.Action.Trim(), r.Key.Action.ToString(), StringComparison.OrdinalIgnoreCase))
            .Where(r => string.IsNullOrWhiteSpace(f.Direction) || string.Equals(f.Direction.Trim(), r.Key.Direction.ToString(), StringComparison.OrdinalIgnoreCase))
            .Where(r => SideMatches(f.Source, r.Key.Source))
            .Where(r => SideMatches(f.Destination, r.Key.Destination))
            .Where(r => sourceNetworks.Length == 0 || In(sourceNetworks, r.Key.Source))
            .Where(r => destinationNetworks.Length == 0 || In(destinationNetworks, r.Key.Destination))
            .Where(r => f.Interfaces.Count == 0 || r.Key.InterfaceId is { } id && f.Interfaces.Contains(id))
            .Where(r => f.Vpcs.Count == 0 || r.Key.VpcId is { } vpc && f.Vpcs.Contains(vpc))
            // A reply: the source port was recorded and is not above the destination port.
            .Where(r => !f.ExcludeReplies || r.Key.SourcePort < 0)
            .ToList();

        Func<FlowRow, string> groupOf = rule.GroupBy.ToUpperInvariant() switch
        {
            "NONE" => _ => "*",
            "SOURCE" => r => Text(r.Key.Source),
            "DESTINATION" => r => Text(r.Key.Destination),
            "INTERFACE" => r => r.Key.InterfaceId ?? "-",
            "DESTINATION_PORT" => r => r.Key.DestinationPort < 0 ? "-" : r.Key.DestinationPort.ToString(CultureInfo.InvariantCulture),
            "VPC" => r => r.Key.VpcId ?? "-",
            "ACCOUNT" => r => r.Key.AccountId ?? "-",
            var other => throw new InvalidOperationException(other),
        };

        return [.. matching
            .GroupBy(groupOf)
            .Select(g =>
            {
                var flows = g.Sum(r => r.Flows);
                var rejected = g.Where(r => r.Key.Action == FlowAction.Reject).Sum(r => r.Flows);
                double value = rule.Aggregation.ToUpperInvariant() switch
                {
                    "FLOWS" => flows,
                    "PACKETS" => g.Sum(r => r.Packets),
                    "BYTES" => g.Sum(r => r.Bytes),
                    "REJECTED_FLOWS" => rejected,
                    "REJECT_RATE" => flows > 0 && flows >= rule.MinimumFlows ? rejected / (double)flows : 0,
                    "DISTINCT_SOURCES" => g.Select(r => Text(r.Key.Source)).Distinct().Count(),
                    "DISTINCT_DESTINATIONS" => g.Select(r => Text(r.Key.Destination)).Distinct().Count(),
                    "DISTINCT_DESTINATION_PORTS" => g.Select(r => r.Key.DestinationPort).Distinct().Count(),
                    "FLOWS_WITHOUT_REJECTS" => rejected == 0 ? flows : 0,
                    var other => throw new InvalidOperationException(other),
                };
                return (g.Key, value, flows, g.Sum(r => r.Packets), g.Sum(r => r.Bytes), rejected);
            })
            .OrderBy(x => x.Key, StringComparer.Ordinal)];

        bool SideMatches(string? side, FlowAddress address) => side?.Trim().ToUpperInvariant() switch
        {
            null or "" => true,
            "INSIDE" => In(internalNetworks, address),
            "OUTSIDE" => !In(internalNetworks, address),
            var other => throw new InvalidOperationException(other),
        };
    }

    private static bool In(IPNetwork[] networks, FlowAddress address)
    {
        if (address.IsAbsent) return false;
        // IPNetwork.Contains also matches an IPv4-mapped IPv6 address against an IPv4 network; in flow logs
        // (and FlowAddress) ::ffff:10.0.0.1 is an IPv6 address, not 10.0.0.1.
        var ip = address.ToIPAddress();
        return networks.Any(n => n.BaseAddress.AddressFamily == ip.AddressFamily && n.Contains(ip));
    }

    private static string Text(FlowAddress address) => address.IsAbsent ? "-" : address.ToIPAddress().ToString();

    private static AlertsOptions Options(string[] internalCidrs, string builtIns) => new()
    {
        BuiltInRules = builtIns,
        InternalCidrs = [.. internalCidrs],
        Rules =
        [
            new() { Name = "ssh-rdp-outside-per-destination", Filter = new() { DestinationPorts = [22, 3389], Protocols = ["tcp"], Source = "outside" }, GroupBy = "destination" },
            new() { Name = "rejects-per-interface", Filter = new() { Action = "reject" }, Aggregation = "rejected_flows", GroupBy = "interface" },
            new() { Name = "egress-bytes-per-vpc", Filter = new() { Direction = "egress" }, Aggregation = "bytes", GroupBy = "vpc" },
            new() { Name = "ingress-inside-packets-per-account", Filter = new() { Direction = " Ingress ", Destination = "inside" }, Aggregation = "packets", GroupBy = "account" },
            new() { Name = "udp-icmp-per-port", Filter = new() { Protocols = ["udp", "ICMP", "58"] }, GroupBy = "destination_port" },
            new() { Name = "reject-rate-per-source", Aggregation = "reject_rate", GroupBy = "source", Threshold = 0.5, MinimumFlows = 600 },
            new() { Name = "reject-rate-per-port", Filter = new() { Source = "Outside" }, Aggregation = "reject_rate", GroupBy = "destination_port", Threshold = 0.1, MinimumFlows = 15 },
            new() { Name = "distinct-sources-per-destination", Filter = new() { Protocols = ["6"], Action = "ACCEPT" }, Aggregation = "distinct_sources", GroupBy = "destination" },
            new() { Name = "distinct-destinations-per-source", Filter = new() { SourceCidrs = ["10.0.0.0/8", "fd00::/8"] }, Aggregation = "distinct_destinations", GroupBy = "source" },
            new() { Name = "distinct-ports-per-source", Filter = new() { DestinationCidrs = ["203.0.113.0/24", "2600:1f18:aaaa::/48", "100.64.0.0/10"] }, Aggregation = "distinct_destination_ports", GroupBy = "source" },
            new() { Name = "accept-only-per-interface", Filter = new() { Interfaces = ["eni-0a", "eni-0b"] }, Aggregation = "flows_without_rejects", GroupBy = "interface" },
            new() { Name = "accept-only-per-port", Aggregation = "flows_without_rejects", GroupBy = "destination_port" },
            new() { Name = "inside-to-inside-in-vpc-2", Filter = new() { Vpcs = ["vpc-2"], Source = "inside", Destination = "inside" } },
            new() { Name = "outbound-to-outside-per-account", Filter = new() { Source = "inside", Destination = "outside" }, Aggregation = "distinct_destinations", GroupBy = "account" },
            new() { Name = "all-records", Aggregation = "packets" },
            new() { Name = "requests-distinct-ports-per-source", Filter = new() { ExcludeReplies = true }, Aggregation = "distinct_destination_ports", GroupBy = "source" },
            new() { Name = "requests-rejected-per-destination", Filter = new() { ExcludeReplies = true, Action = "reject" }, Aggregation = "rejected_flows", GroupBy = "destination" },
            new() { Name = "all-records-per-interface", GroupBy = "interface" },
            new()
            {
                Name = "every-filter-field",
                Filter = new()
                {
                    DestinationPorts = [22, 443, 3389],
                    Protocols = ["tcp"],
                    Action = "reject",
                    Direction = "ingress",
                    Source = "outside",
                    Destination = "inside",
                    SourceCidrs = ["0.0.0.0/1", "128.0.0.0/1", "2000::/3", "fc00::/7", "fe80::/10"],
                    DestinationCidrs = ["10.0.0.0/8", "172.16.0.0/12", "192.0.2.0/24", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7", "2600:1f18:aaaa::/48"],
                    Interfaces = ["eni-0a", "eni-0b", "eni-0c"],
                    Vpcs = ["vpc-1", "vpc-2"],
                    ExcludeReplies = true,
                },
                GroupBy = "source",
            },
            new() { Name = "matches-nothing-vpc", Filter = new() { Vpcs = ["vpc-none"] } },
            new() { Name = "matches-nothing-port", Filter = new() { DestinationPorts = [9999, 65535], Protocols = ["tcp"] }, GroupBy = "source" },
        ],
    };

    private static FlowRow[] RandomRows(Random random, int count)
    {
        // A pool of addresses so that groups collect many rows: the fixed edge cases plus random ones inside and outside the ranges.
        var pool = FixedAddresses.Select(FlowAddress.Parse).ToList();
        for (var i = 0; i < 40; i++)
        {
            pool.Add(random.Next(8) switch
            {
                0 => FlowAddress.FromIPv4(0x0A000000u | (uint)random.Next(1 << 24)),                     // 10/8
                1 => FlowAddress.FromIPv4(0xAC100000u | (uint)random.Next(1 << 20)),                     // 172.16/12
                2 => FlowAddress.FromIPv4(0x0A010000u | (uint)random.Next(1 << 16)),                     // 10.1/16
                3 => FlowAddress.FromIPv4(0x64400000u | (uint)random.Next(1 << 22)),                     // 100.64/10
                4 => FlowAddress.FromIPv4((uint)random.NextInt64(uint.MaxValue + 1L)),                    // anywhere
                5 => new FlowAddress(0xFD00_0000_0000_0000UL | (ulong)random.NextInt64(1L << 56), (ulong)random.NextInt64(), 6), // fd00::/8
                6 => new FlowAddress(0x2600_1F18_AAAA_0000UL | (ulong)random.NextInt64(1L << 16), (ulong)random.NextInt64(), 6),       // 2600:1f18:aaaa::/48
                _ => new FlowAddress((ulong)random.NextInt64(), (ulong)random.NextInt64(), 6),                                   // anywhere
            });
        }

        var rows = new FlowRow[count];
        for (var i = 0; i < count; i++)
        {
            var port = random.Next(10) switch
            {
                < 6 => CommonPorts[random.Next(CommonPorts.Length)],
                < 9 => random.Next(1024, 9000),
                _ => -1,
            };
            var status = random.Next(20) switch
            {
                0 => LogStatus.NoData,
                1 => LogStatus.SkipData,
                2 or 3 => LogStatus.None,
                _ => LogStatus.Ok,
            };
            var key = new FlowRowKey(
                Minute: 29_000_000 + random.Next(3),
                InterfaceId: InterfaceIds[random.Next(InterfaceIds.Length)],
                AccountId: AccountIds[random.Next(AccountIds.Length)],
                VpcId: VpcIds[random.Next(VpcIds.Length)],
                Source: pool[random.Next(pool.Count)],
                Destination: pool[random.Next(pool.Count)],
                DestinationPort: port,
                Protocol: random.Next(10) switch { < 5 => 6, < 8 => 17, 8 => 1, _ => 58 },
                Action: random.Next(3) == 0 ? FlowAction.Reject : FlowAction.Accept,
                Direction: (FlowDirection)random.Next(3),
                Status: status,
                // As the combiner keeps it: the source port of a service's reply, else -1.
                SourcePort: FlowRowKey.KeptSourcePort(random.Next(4) == 0 ? -1 : random.Next(3) == 0 ? CommonPorts[random.Next(CommonPorts.Length)] : random.Next(1024, 65536), port));
            var flows = random.Next(1, 20);
            var packets = flows * (long)random.Next(1, 10);
            rows[i] = new FlowRow(key, flows, packets, packets * random.Next(40, 1500));
        }
        return rows;
    }
}
