using FlowMesh.Aggregation;
using FlowMesh.FlowLogs;

namespace FlowMesh.Grains.Tests;

[Collection(ClusterGroup.Name)]
public sealed class InterfaceGrainTests(ClusterFixture fixture)
{
    private const string Account = "210987654321";

    [Fact]
    public async Task DescribeAsync_RandomTraffic_TotalsRejectRateAndPeersExactPerInterface()
    {
        var rng = new Random(11);
        var vpc = GrainApply.UniqueVpc();
        var enis = GrainApply.UniqueEnis(6);
        var now = fixture.Time.GetUtcNow();
        var records = TestTraffic.Random(rng, 3000, now, 30, enis, TestTraffic.Addresses(rng, 25), Account, vpc);
        await GrainApply.ApplyAsync(fixture.Grains, records);

        foreach (var eni in enis)
        {
            var mine = records.Where(r => r.InterfaceId == eni && TestTraffic.InWindow(r, now, Window.FifteenMinutes)).ToList();
            var summary = await fixture.Grains.GetGrain<IInterfaceGrain>(eni).DescribeAsync(Window.FifteenMinutes, 5);
            Assert.NotNull(summary);
            Assert.Equal(mine.Count, summary.Totals.Flows);
            Assert.Equal(mine.Sum(r => r.Bytes), summary.Totals.Bytes);
            Assert.Equal(mine.Where(r => r.Action == FlowAction.Reject).Sum(r => r.Packets), summary.Totals.RejectedPackets);
            Assert.Equal((double)mine.Count(r => r.Action == FlowAction.Reject) / mine.Count, summary.Totals.RejectRate, 12);
            Assert.Equal(Account, summary.AccountId);
            Assert.Equal(vpc, summary.VpcId);
            Assert.True(summary.AcceptSeen);
            Assert.True(summary.RejectSeen);
            var all = records.Where(r => r.InterfaceId == eni).ToList();
            Assert.Equal(all.Min(r => r.Start), summary.FirstSeen.ToUnixTimeSeconds());
            Assert.Equal(all.Max(r => r.End), summary.LastSeen.ToUnixTimeSeconds());

            // Destination ports by bytes, exact (8 distinct ports ≤ capacity).
            var exactPorts = TestTraffic.Exact(mine, r => ContributorKey.ForNumber(r.DstPort), Metric.Bytes);
            TestTraffic.AssertTopMatches(summary.TopDestinationPorts, exactPorts, 5, $"{eni} ports");
        }
    }

    [Fact]
    public async Task GetTopContributors_FlowDirection_PeerIsTheRemoteSide()
    {
        var vpc = GrainApply.UniqueVpc();
        var eni = GrainApply.UniqueEnis(1)[0];
        var now = fixture.Time.GetUtcNow().ToUnixTimeSeconds();
        var local = FlowAddress.Parse("10.0.1.15");
        var remoteA = FlowAddress.Parse("198.51.100.7");
        var remoteB = FlowAddress.Parse("203.0.113.9");
        var inbound = TestTraffic.Record(eni, Account, vpc, remoteA, local, 443, 6, 10, 5000, now - 10, now - 5, FlowAction.Accept);
        var outbound = TestTraffic.Record(eni, Account, vpc, local, remoteB, 5432, 6, 20, 9000, now - 10, now - 5, FlowAction.Accept);
        inbound.FlowDirection = FlowDirection.Ingress;
        inbound.Present = inbound.Present.With(FlowField.FlowDirection);
        outbound.FlowDirection = FlowDirection.Egress;
        outbound.Present = outbound.Present.With(FlowField.FlowDirection);
        await GrainApply.ApplyAsync(fixture.Grains, [inbound, outbound]);

        var grain = fixture.Grains.GetGrain<IInterfaceGrain>(eni);
        var peers = await grain.GetTopContributorsAsync(new TopContributorsQuery(Dimension.PeerAddress, Metric.Bytes, Window.FiveMinutes, 10));
        var locals = await grain.GetTopContributorsAsync(new TopContributorsQuery(Dimension.LocalAddress, Metric.Bytes, Window.FiveMinutes, 10));

        Assert.Equal(["203.0.113.9", "198.51.100.7"], peers.Contributors.Select(c => c.Label));
        Assert.Equal([9000L, 5000L], peers.Contributors.Select(c => c.Value));
        Assert.Equal(["10.0.1.15"], locals.Contributors.Select(c => c.Label));
        Assert.Equal(14000, locals.Contributors[0].Value);
        Assert.Equal(["10.0.1.15"], (await grain.DescribeAsync(Window.FiveMinutes, 5))!.LocalAddresses);
    }

    [Fact]
    public async Task DescribeAsync_NoFlowDirection_LocalAddressIsTheOneInEveryFlowNotABusyPeer()
    {
        var vpc = GrainApply.UniqueVpc();
        var eni = GrainApply.UniqueEnis(1)[0];
        var now = fixture.Time.GetUtcNow().ToUnixTimeSeconds();
        var local = FlowAddress.Parse("10.0.7.7");
        var busyPeer = FlowAddress.Parse("198.51.100.200");
        var rng = new Random(3);
        var records = new List<FlowRecord>();
        for (var i = 0; i < 300; i++)
        {
            // A third of the flows involve one busy client; every flow involves the interface's own address.
            var peer = i % 3 == 0 ? busyPeer : FlowAddress.FromIPv4(0xCB00_7100u | (uint)rng.Next(1, 250));
            records.Add(i % 2 == 0
                ? TestTraffic.Record(eni, Account, vpc, peer, local, 443, 6, 3, 900, now - 30, now - 20, FlowAction.Accept)
                : TestTraffic.Record(eni, Account, vpc, local, peer, 51000, 6, 3, 900, now - 30, now - 20, FlowAction.Accept));
        }
        await GrainApply.ApplyAsync(fixture.Grains, records.Take(10));
        await GrainApply.ApplyAsync(fixture.Grains, records.Skip(10));

        var summary = await fixture.Grains.GetGrain<IInterfaceGrain>(eni).DescribeAsync(Window.FiveMinutes, 5);

        Assert.Equal([local.ToString()], summary!.LocalAddresses);
        Assert.Equal(busyPeer.ToString(), summary.TopPeers[0].Label);
    }

    [Fact]
    public async Task GetTopContributors_WithFilter_CoversDataAppliedAfterTheFirstFilteredQuery()
    {
        var rng = new Random(5);
        var vpc = GrainApply.UniqueVpc();
        var eni = GrainApply.UniqueEnis(1)[0];
        var now = fixture.Time.GetUtcNow();
        var addresses = TestTraffic.Addresses(rng, 20);
        var before = TestTraffic.Random(rng, 500, now, 5, [eni], addresses, Account, vpc);
        var after = TestTraffic.Random(rng, 800, now, 5, [eni], addresses, Account, vpc);
        await GrainApply.ApplyAsync(fixture.Grains, before);
        var grain = fixture.Grains.GetGrain<IInterfaceGrain>(eni);
        var query = new TopContributorsQuery(Dimension.DestinationPort, Metric.Flows, Window.FifteenMinutes, 10, new FlowFilter(FlowAction.Reject, Protocol: 6));

        var first = await grain.GetTopContributorsAsync(query);
        Assert.Equal(0, first.Totals.Flows);
        Assert.Equal(now.ToUnixTimeSeconds(), first.CoverageStartUnix);

        await GrainApply.ApplyAsync(fixture.Grains, after);
        var second = await grain.GetTopContributorsAsync(query);
        var matching = after.Where(r => r.Action == FlowAction.Reject && r.Protocol == 6).ToList();
        Assert.Equal(matching.Count, second.Totals.Flows);
        TestTraffic.AssertTopMatches(second.Contributors, TestTraffic.Exact(matching, r => ContributorKey.ForNumber(r.DstPort), Metric.Flows), 10, "filtered ports");
    }

    [Fact]
    public async Task DescribeAsync_OnlyAcceptsForHalfAnHour_ReportsProbableAcceptOnlyCapture()
    {
        var rng = new Random(77);
        var vpc = GrainApply.UniqueVpc();
        var eni = GrainApply.UniqueEnis(1)[0];
        var addresses = TestTraffic.Addresses(rng, 10);
        var grain = fixture.Grains.GetGrain<IInterfaceGrain>(eni);
        List<FlowRecord> AcceptOnly(int count) =>
        [
            .. TestTraffic.Random(rng, count, fixture.Time.GetUtcNow(), 1, [eni], addresses, Account, vpc)
                .Select(r => { r.Action = FlowAction.Accept; return r; }),
        ];

        await GrainApply.ApplyAsync(fixture.Grains, AcceptOnly(600));
        var early = await grain.DescribeAsync(Window.FiveMinutes, 1);
        Assert.Equal("undetermined", early!.CaptureFilter);
        Assert.Null(early.CaptureAdvice);

        fixture.Time.Advance(TimeSpan.FromMinutes(31));
        await GrainApply.ApplyAsync(fixture.Grains, AcceptOnly(10));
        var later = await grain.DescribeAsync(Window.FiveMinutes, 1);
        Assert.Equal("probably_accept_only", later!.CaptureFilter);
        Assert.Equal("probably capturing ACCEPT only — rejected traffic will not appear; create a flow log with traffic type ALL", later.CaptureAdvice);

        var now = fixture.Time.GetUtcNow().ToUnixTimeSeconds();
        await GrainApply.ApplyAsync(fixture.Grains, [TestTraffic.Record(eni, Account, vpc, addresses[0], addresses[1], 22, 6, 1, 60, now - 5, now - 5, FlowAction.Reject)]);
        var mixed = await grain.DescribeAsync(Window.FiveMinutes, 1);
        Assert.Equal("both", mixed!.CaptureFilter);
        Assert.Null(mixed.CaptureAdvice);
    }

    [Fact]
    public async Task DescribeAsync_NeverSeen_ReturnsNull()
    {
        var summary = await fixture.Grains.GetGrain<IInterfaceGrain>(GrainApply.UniqueEnis(1)[0]).DescribeAsync(Window.FiveMinutes, 5);
        Assert.Null(summary);
    }
}
