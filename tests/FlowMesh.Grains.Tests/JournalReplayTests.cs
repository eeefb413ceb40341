using FlowMesh.Aggregation;
using FlowMesh.FlowLogs;

namespace FlowMesh.Grains.Tests;

/// <summary>
/// A grain activated again (its silo died, it was handed off or collected) replays its journal and
/// answers exactly as before: totals against brute force, rankings equal to the ones it gave before
/// it was deactivated, and a flush retried after reactivation is still recognised as applied.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class JournalReplayTests(ClusterFixture fixture)
{
    private const string Account = "333344445555";

    [Fact]
    public async Task Reactivation_AfterDeactivation_InterfaceAddressAndLeaderboardReplayExactly()
    {
        var rng = new Random(41);
        var vpc = GrainApply.UniqueVpc();
        var enis = GrainApply.UniqueEnis(3);
        var addresses = TestTraffic.Addresses(rng, 12);
        var now = fixture.Time.GetUtcNow();
        var records = TestTraffic.Random(rng, 2000, now, 40, enis, addresses, Account, vpc);
        // Several flushes, as the group commit sends them.
        foreach (var chunk in records.Chunk(400)) await GrainApply.ApplyAsync(fixture.Grains, chunk);

        var eni = fixture.Grains.GetGrain<IInterfaceGrain>(enis[0]);
        var address = fixture.Grains.GetGrain<IAddressGrain>(GrainKeys.Address(addresses[0]));
        var board = fixture.Grains.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard($"vpc:{vpc}"));
        var query = new TopContributorsQuery(Dimension.SourceAddress, Metric.Bytes, Window.SixtyMinutes, 10);
        var before = (
            Interface: await eni.DescribeAsync(Window.SixtyMinutes, 5),
            Address: await address.DescribeAsync(Window.SixtyMinutes, 5),
            Board: await board.GetTopContributorsAsync(query));

        foreach (var grain in new IAddressable[] { eni, address, board })
        {
            var id = grain.GetGrainId();
            var reads = fixture.Journal.Reads(id);
            await fixture.Cluster.DeactivateAsync(grain);
            _ = await ((IFlowViewGrain)grain).GetVersionAsync(); // activates it again
            Assert.Equal(reads + 1, fixture.Journal.Reads(id));
        }

        var afterInterface = await eni.DescribeAsync(Window.SixtyMinutes, 5);
        var afterAddress = await address.DescribeAsync(Window.SixtyMinutes, 5);
        var afterBoard = await board.GetTopContributorsAsync(query);

        // Independent expectation: brute force over the records.
        var mine = records.Where(r => r.InterfaceId == enis[0] && TestTraffic.InWindow(r, now, Window.SixtyMinutes)).ToList();
        Assert.NotNull(afterInterface);
        Assert.Equal(mine.Count, afterInterface.Totals.Flows);
        Assert.Equal(mine.Sum(r => r.Bytes), afterInterface.Totals.Bytes);
        var involving = records.Where(r => (r.SrcAddr == addresses[0] || r.DstAddr == addresses[0]) && TestTraffic.InWindow(r, now, Window.SixtyMinutes)).ToList();
        Assert.NotNull(afterAddress);
        Assert.Equal(involving.Where(r => r.SrcAddr == addresses[0]).Sum(r => r.Bytes), afterAddress.AsSource.Totals.Bytes);
        Assert.Equal(involving.Where(r => r.DstAddr == addresses[0]).Sum(r => r.Bytes), afterAddress.AsDestination.Totals.Bytes);
        var inVpc = records.Where(r => TestTraffic.InWindow(r, now, Window.SixtyMinutes)).ToList();
        Assert.Equal(inVpc.Count, afterBoard.Totals.Flows);
        TestTraffic.AssertTopMatches(afterBoard.Contributors, TestTraffic.Exact(inVpc, r => TestTraffic.KeyOf(r, Dimension.SourceAddress), Metric.Bytes), 10, "vpc sources after replay");

        // And the same answers as before the deactivation, field by field.
        Assert.Equal(before.Interface!.Totals, afterInterface.Totals);
        Assert.Equal(before.Interface.TopPeers.Select(c => (c.Label, c.Value)), afterInterface.TopPeers.Select(c => (c.Label, c.Value)));
        Assert.Equal(before.Interface.FirstSeen, afterInterface.FirstSeen);
        Assert.Equal(before.Interface.Version, afterInterface.Version);
        Assert.Equal(before.Address!.AsSource.Totals, afterAddress.AsSource.Totals);
        Assert.Equal(before.Board.Totals, afterBoard.Totals);
        Assert.Equal(before.Board.Contributors.Select(c => (c.Label, c.Value, c.ErrorBound)), afterBoard.Contributors.Select(c => (c.Label, c.Value, c.ErrorBound)));
    }

    [Fact]
    public async Task ApplyAsync_FlushRetriedAfterReactivation_IsADuplicateAndNotCountedTwice()
    {
        var vpc = GrainApply.UniqueVpc();
        var eni = GrainApply.UniqueEnis(1)[0];
        var now = fixture.Time.GetUtcNow().ToUnixTimeSeconds();
        var record = TestTraffic.Record(eni, Account, vpc, FlowAddress.Parse("10.0.0.5"), FlowAddress.Parse("10.0.0.9"), 443, 6, 7, 7000, now - 30, now, FlowAction.Accept);
        var flush = await GrainApply.ApplyAsync(fixture.Grains, [record]);
        var grain = fixture.Grains.GetGrain<IInterfaceGrain>(eni);
        await fixture.Cluster.DeactivateAsync(grain);

        // The ingest role retries the same flush (its first answer was lost with the silo).
        var retried = await grain.ApplyAsync(new FlowDelta(flush, TestTraffic.Combine([record]).Partition().Interfaces.Single().Value));

        Assert.True(retried.Duplicate);
        var summary = await grain.DescribeAsync(Window.FiveMinutes, 1);
        Assert.NotNull(summary);
        Assert.Equal(7000, summary.Totals.Bytes);
        Assert.Equal(1, fixture.Journal.Entries(grain.GetGrainId()));
    }

    [Fact]
    public async Task IsAppliedAsync_LedgerReactivated_RemembersRequestIds()
    {
        var requestId = Guid.NewGuid().ToString();
        var ledger = fixture.Grains.GetGrain<IDeliveryLedgerGrain>(GrainKeys.DeliveryLedger(requestId));
        await ledger.MarkAppliedAsync([requestId]);
        var reads = fixture.Journal.Reads(ledger.GetGrainId());
        await fixture.Cluster.DeactivateAsync(ledger);

        var applied = await ledger.IsAppliedAsync(requestId);
        var unknown = await ledger.IsAppliedAsync(requestId + "-other");

        Assert.Equal(reads + 1, fixture.Journal.Reads(ledger.GetGrainId()));
        Assert.True(applied);
        Assert.False(unknown);
    }
}
