using FlowMesh.Aggregation;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;
using FlowMesh.Grains.Views;

namespace FlowMesh.Grains.Tests;

public sealed class ViewSetTests
{
    private const string Account = "123456789012";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 30, TimeSpan.Zero);

    [Fact]
    public void ApplyUncommitted_CachedAnswersStayTheLastCommits_OthersSeeRowsSoFarUncached_CommitIsOneVersion()
    {
        var rng = new Random(5);
        var vpc = GrainApply.UniqueVpc();
        var addresses = TestTraffic.Addresses(rng, 12);
        var first = TestTraffic.Random(rng, 200, Now, 10, GrainApply.UniqueEnis(2), addresses, Account, vpc);
        var second = TestTraffic.Random(rng, 600, Now, 10, GrainApply.UniqueEnis(2), addresses, Account, vpc);
        var views = new ViewSet(LeaderboardProjector.Dimensions, 256);
        var projector = new LeaderboardProjector();
        views.Apply(RowsOf(first).Span, Now, ref projector);
        Assert.Equal(1, views.Main.Version);
        var bySource = new TopContributorsQuery(Dimension.SourceAddress, Metric.Bytes, Window.SixtyMinutes, 5);
        var byPort = new TopContributorsQuery(Dimension.DestinationPort, Metric.Flows, Window.SixtyMinutes, 5);
        var committed = views.Top("all", bySource, Now);

        // Half of the second flush, not committed yet.
        var rows = RowsOf(second);
        var half = rows.Length / 2;
        Assert.InRange(half, 1, rows.Length - 1);
        views.ApplyUncommitted(rows.Span[..half], Now, ref projector);
        Assert.True(views.Main.HasUncommittedRows);
        Assert.Equal(1, views.Main.Version);
        var cached = views.Top("all", bySource, Now);
        Assert.Same(committed, cached);
        Assert.Equal(first.Count, cached.Totals.Flows);
        var partial = views.Top("all", byPort, Now);
        Assert.Equal(first.Count + Flows(rows.Span[..half]), partial.Totals.Flows);
        Assert.Equal(1, partial.Version);

        // The rest: the partial answer was not cached, so the same query now sees every row applied.
        views.ApplyUncommitted(rows.Span[half..], Now, ref projector);
        Assert.Equal(first.Count + second.Count, views.Top("all", byPort, Now).Totals.Flows);
        Assert.Same(committed, views.Top("all", bySource, Now));

        views.Commit(Now);
        Assert.False(views.Main.HasUncommittedRows);
        Assert.Equal(2, views.Main.Version);
        var after = views.Top("all", bySource, Now);
        Assert.Equal(first.Count + second.Count, after.Totals.Flows);
        Assert.Equal(first.Sum(r => r.Bytes) + second.Sum(r => r.Bytes), after.Totals.Bytes);
        Assert.Equal(2, after.Version);

        // Nothing applied since: committing again publishes nothing new.
        views.Commit(Now);
        Assert.Equal(2, views.Main.Version);
    }

    private static ReadOnlyMemory<FlowRow> RowsOf(List<FlowRecord> records) =>
        TestTraffic.Combine(records).Partition().Scopes[LeaderboardScope.All];

    private static long Flows(ReadOnlySpan<FlowRow> rows)
    {
        long flows = 0;
        foreach (var row in rows) flows += row.Flows;
        return flows;
    }
}
