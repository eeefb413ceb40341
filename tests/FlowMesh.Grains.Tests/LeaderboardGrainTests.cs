using FlowMesh.Aggregation;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Grains.Tests;

[Collection(ClusterGroup.Name)]
public sealed class LeaderboardGrainTests(ClusterFixture fixture)
{
    private const string Account = "123456789012";

    [Fact]
    public async Task GetTopContributors_RandomTraffic_EveryDimensionMetricAndWindowMatchesBruteForce()
    {
        var rng = new Random(42);
        var vpc = GrainApply.UniqueVpc();
        var now = fixture.Time.GetUtcNow();
        // 15 addresses → at most 225 address pairs: every summary stays within capacity 256, so exact.
        var records = TestTraffic.Random(rng, 4000, now, 60, GrainApply.UniqueEnis(12), TestTraffic.Addresses(rng, 15), Account, vpc);
        // Two flushes, as two group commits would deliver them.
        await GrainApply.ApplyAsync(fixture.Grains, records.Take(2500));
        await GrainApply.ApplyAsync(fixture.Grains, records.Skip(2500));

        var board = fixture.Grains.GetGrain<ILeaderboardGrain>(LeaderboardScope.ForVpc(vpc));
        foreach (var window in new[] { Window.OneMinute, Window.FiveMinutes, Window.FifteenMinutes, Window.SixtyMinutes })
        {
            var inWindow = records.Where(r => TestTraffic.InWindow(r, now, window)).ToList();
            foreach (var dimension in LeaderboardDimensions)
            {
                foreach (var metric in Enum.GetValues<Metric>())
                {
                    var snapshot = await board.GetTopContributorsAsync(new TopContributorsQuery(dimension, metric, window, 10));
                    var exact = TestTraffic.Exact(inWindow, r => TestTraffic.KeyOf(r, dimension), metric);
                    TestTraffic.AssertTopMatches(snapshot.Contributors, exact, 10, $"{window} {dimension} {metric}");
                    Assert.Equal(inWindow.Count, snapshot.Totals.Flows);
                    Assert.Equal(inWindow.Sum(r => r.Bytes), snapshot.Totals.Bytes);
                    Assert.Equal(inWindow.Sum(r => r.Packets), snapshot.Totals.Packets);
                    Assert.Equal(inWindow.Count(r => r.Action == FlowAction.Reject), snapshot.Totals.RejectedFlows);
                    Assert.True(snapshot.Exact);
                }
            }
        }
    }

    [Fact]
    public async Task ApplyAsync_SameFlushIdTwice_CountedOnce()
    {
        var rng = new Random(7);
        var vpc = GrainApply.UniqueVpc();
        var records = TestTraffic.Random(rng, 300, fixture.Time.GetUtcNow(), 10, GrainApply.UniqueEnis(3), TestTraffic.Addresses(rng, 10), Account, vpc);
        var flushId = await GrainApply.ApplyAsync(fixture.Grains, records);
        var board = fixture.Grains.GetGrain<ILeaderboardGrain>(LeaderboardScope.ForVpc(vpc));
        var versionAfterFirst = await board.GetVersionAsync();

        await GrainApply.ApplyAsync(fixture.Grains, records, flushId);

        var snapshot = await board.GetTopContributorsAsync(new TopContributorsQuery(Dimension.SourceAddress, Metric.Bytes, Window.SixtyMinutes, 5));
        Assert.Equal(records.Count, snapshot.Totals.Flows);
        Assert.Equal(records.Sum(r => r.Bytes), snapshot.Totals.Bytes);
        Assert.Equal(versionAfterFirst, await board.GetVersionAsync());
    }

    [Fact]
    public async Task GetTopContributors_TimeAdvances_MinutesLeaveWindowsThenExpire()
    {
        var vpc = GrainApply.UniqueVpc();
        var eni = GrainApply.UniqueEnis(1)[0];
        var now = fixture.Time.GetUtcNow();
        var src = FlowAddress.Parse("10.1.2.3");
        var dst = FlowAddress.Parse("10.1.2.4");
        var start = now.ToUnixTimeSeconds() - 5;
        await GrainApply.ApplyAsync(fixture.Grains, [TestTraffic.Record(eni, Account, vpc, src, dst, 443, 6, 10, 1000, start, start + 1, FlowAction.Accept)]);
        var board = fixture.Grains.GetGrain<ILeaderboardGrain>(LeaderboardScope.ForVpc(vpc));

        async Task<long> BytesIn(Window w) => (await board.GetTopContributorsAsync(new TopContributorsQuery(Dimension.SourceAddress, Metric.Bytes, w, 1))).Totals.Bytes;

        Assert.Equal(1000, await BytesIn(Window.OneMinute));
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await BytesIn(Window.OneMinute));
        Assert.Equal(1000, await BytesIn(Window.FiveMinutes));
        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, await BytesIn(Window.FiveMinutes));
        Assert.Equal(1000, await BytesIn(Window.FifteenMinutes));
        fixture.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await BytesIn(Window.FifteenMinutes));
        Assert.Equal(1000, await BytesIn(Window.SixtyMinutes));
        fixture.Time.Advance(TimeSpan.FromMinutes(44));
        Assert.Equal(0, await BytesIn(Window.SixtyMinutes));
    }

    [Fact]
    public async Task ApplyAsync_RecordsOlderThanTheHour_CountedLateNotApplied()
    {
        var vpc = GrainApply.UniqueVpc();
        var eni = GrainApply.UniqueEnis(1)[0];
        var now = fixture.Time.GetUtcNow().ToUnixTimeSeconds();
        var src = FlowAddress.Parse("192.0.2.1");
        var dst = FlowAddress.Parse("10.0.0.9");
        var old = TestTraffic.Record(eni, Account, vpc, src, dst, 22, 6, 1, 60, now - 3700, now - 3690, FlowAction.Reject);
        var lateButInside = TestTraffic.Record(eni, Account, vpc, src, dst, 22, 6, 2, 120, now - 3000, now - 2990, FlowAction.Reject);

        var board = fixture.Grains.GetGrain<ILeaderboardGrain>(LeaderboardScope.ForVpc(vpc));
        var partition = TestTraffic.Combine([old, lateButInside]).Partition();
        var result = await board.ApplyAsync(new FlowDelta(Guid.NewGuid(), partition.Scopes[LeaderboardScope.ForVpc(vpc)]));

        Assert.Equal(1, result.LateFlows);
        Assert.Equal(1, result.AppliedFlows);
        var snapshot = await board.GetTopContributorsAsync(new TopContributorsQuery(Dimension.DestinationPort, Metric.RejectedFlows, Window.SixtyMinutes, 3));
        Assert.Equal(1, snapshot.Totals.Flows);
        Assert.Equal(120, snapshot.Totals.Bytes);
        Assert.Equal(1.0, snapshot.Totals.RejectRate);
    }

    [Fact]
    public async Task ApplyAsync_SpreadOutRecord_TrafficSplitOverItsMinutesFlowCountedOnce()
    {
        var vpc = GrainApply.UniqueVpc();
        var eni = GrainApply.UniqueEnis(1)[0];
        var nowMinute = EventMinute.FromTime(fixture.Time.GetUtcNow());
        // A 600-second aggregation interval record ending in the current minute: 10 minutes.
        var start = (nowMinute - 9) * 60;
        var record = TestTraffic.Record(eni, Account, vpc, FlowAddress.Parse("10.0.0.1"), FlowAddress.Parse("10.0.0.2"), 80, 6, 1003, 10_007, start, start + 599, FlowAction.Accept);
        await GrainApply.ApplyAsync(fixture.Grains, [record]);
        var board = fixture.Grains.GetGrain<ILeaderboardGrain>(LeaderboardScope.ForVpc(vpc));

        var last5 = (await board.GetTopContributorsAsync(new TopContributorsQuery(Dimension.Protocol, Metric.Bytes, Window.FiveMinutes, 1))).Totals;
        var all = (await board.GetTopContributorsAsync(new TopContributorsQuery(Dimension.Protocol, Metric.Bytes, Window.FifteenMinutes, 1))).Totals;

        // 10,007 bytes over 10 minutes: 1,001 in each of the first 7 minutes and 1,000 in the last 3,
        // so the last five minutes (the 6th to 10th) hold 1,001 + 1,001 + 3 × 1,000.
        Assert.Equal(10_007, all.Bytes);
        Assert.Equal(1003, all.Packets);
        Assert.Equal(1, all.Flows);
        Assert.Equal(5_002, last5.Bytes);
        Assert.Equal(0, last5.Flows);
    }

    [Fact]
    public async Task GetTopContributors_MoreDistinctKeysThanCapacity_ValuesWithinReportedBounds()
    {
        var rng = new Random(99);
        var vpc = GrainApply.UniqueVpc();
        var now = fixture.Time.GetUtcNow();
        // 200 addresses → up to 40,000 pairs, far beyond the capacity of 256 per summary.
        var records = TestTraffic.Random(rng, 6000, now, 15, GrainApply.UniqueEnis(4), TestTraffic.Addresses(rng, 200), Account, vpc);
        await GrainApply.ApplyAsync(fixture.Grains, records);
        var board = fixture.Grains.GetGrain<ILeaderboardGrain>(LeaderboardScope.ForVpc(vpc));
        var inWindow = records.Where(r => TestTraffic.InWindow(r, now, Window.FifteenMinutes)).ToList();

        foreach (var dimension in new[] { Dimension.AddressPair, Dimension.SourceAddress })
        {
            foreach (var metric in new[] { Metric.Bytes, Metric.Flows })
            {
                var snapshot = await board.GetTopContributorsAsync(new TopContributorsQuery(dimension, metric, Window.FifteenMinutes, 10));
                var exact = TestTraffic.Exact(inWindow, r => TestTraffic.KeyOf(r, dimension), metric);
                Assert.Equal(10, snapshot.Contributors.Count);
                foreach (var c in snapshot.Contributors)
                {
                    var truth = exact.GetValueOrDefault(c.Key);
                    Assert.InRange(truth, c.Value - c.ErrorBound, c.Value);
                }
                Assert.Equal(inWindow.Count, snapshot.Totals.Flows);
            }
        }
    }

    [Fact]
    public async Task GetTopContributors_WhileAnApplyIsInProgress_AnsweredWithoutWaitingForIt()
    {
        var rng = new Random(11);
        var (vpc, scope, board) = NewVpcBoard();
        var now = fixture.Time.GetUtcNow();
        var first = TestTraffic.Random(rng, 400, now, 10, GrainApply.UniqueEnis(3), TestTraffic.Addresses(rng, 12), Account, vpc);
        var second = TestTraffic.Random(rng, 300, now, 10, GrainApply.UniqueEnis(3), TestTraffic.Addresses(rng, 12), Account, vpc);
        await board.ApplyAsync(new FlowDelta(Guid.NewGuid(), ScopeRows(first, scope)));

        // The second apply enters the grain and stays there: a query that waited for it would never return.
        var hold = fixture.Faults.HoldNextApply(GrainKeys.Leaderboard(scope));
        var applying = board.ApplyAsync(new FlowDelta(Guid.NewGuid(), ScopeRows(second, scope)));
        try
        {
            await hold.Entered.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            var query = new TopContributorsQuery(Dimension.SourceAddress, Metric.Bytes, Window.SixtyMinutes, 5);
            var during = await board.GetTopContributorsAsync(query).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.Equal(first.Count, during.Totals.Flows);
            Assert.Equal(first.Sum(r => r.Bytes), during.Totals.Bytes);
            Assert.False(applying.IsCompleted);
        }
        finally
        {
            hold.Release();
        }
        await applying;
        var after = await board.GetTopContributorsAsync(new TopContributorsQuery(Dimension.SourceAddress, Metric.Bytes, Window.SixtyMinutes, 5));
        Assert.Equal(first.Count + second.Count, after.Totals.Flows);
    }

    [Fact]
    public async Task ApplyAsync_MoreRowsThanOneChunk_TotalsExactOneVersionForTheFlush()
    {
        var rng = new Random(12);
        var (vpc, scope, board) = NewVpcBoard();
        // 60 addresses, 30 minutes, random ports: nearly every record is its own combined row.
        var records = TestTraffic.Random(rng, 5000, fixture.Time.GetUtcNow(), 30, GrainApply.UniqueEnis(8), TestTraffic.Addresses(rng, 60), Account, vpc);
        var rows = ScopeRows(records, scope);
        Assert.True(rows.Length > 3 * LeaderboardGrain.ApplyChunkRows, $"{rows.Length} rows");

        var result = await board.ApplyAsync(new FlowDelta(Guid.NewGuid(), rows));

        Assert.False(result.Duplicate);
        Assert.Equal(records.Count, result.AppliedFlows);
        // Applied in chunks, committed once: one new version for the flush.
        Assert.Equal(1, result.Version);
        var snapshot = await board.GetTopContributorsAsync(new TopContributorsQuery(Dimension.DestinationPort, Metric.Packets, Window.SixtyMinutes, 10));
        Assert.Equal(records.Count, snapshot.Totals.Flows);
        Assert.Equal(records.Sum(r => r.Packets), snapshot.Totals.Packets);
        Assert.Equal(records.Sum(r => r.Bytes), snapshot.Totals.Bytes);
        Assert.Equal(result.Version, snapshot.Version);
    }

    /// <summary>A leaderboard of a VPC of its own, so tests sharing the cluster do not meet.</summary>
    private (string Vpc, string Scope, ILeaderboardGrain Board) NewVpcBoard()
    {
        var vpc = GrainApply.UniqueVpc();
        var scope = LeaderboardScope.ForVpc(vpc);
        return (vpc, scope, fixture.Grains.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard(scope)));
    }

    private static ReadOnlyMemory<FlowRow> ScopeRows(List<FlowRecord> records, string scope) =>
        TestTraffic.Combine(records).Partition().Scopes[scope];

    private static readonly Dimension[] LeaderboardDimensions =
    [
        Dimension.SourceAddress, Dimension.DestinationAddress, Dimension.Interface,
        Dimension.DestinationPort, Dimension.Protocol, Dimension.AddressPair,
    ];
}
