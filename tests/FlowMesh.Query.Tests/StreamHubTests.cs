using FlowMesh.Aggregation.Batching;
using FlowMesh.Grains;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlowMesh.Query.Tests;

/// <summary>The hub in process (no socket): latest-value slots, sharing and release.</summary>
[Collection(QueryServerGroup.Name)]
public sealed class StreamHubTests(QueryServerFixture server)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Subscribe_SlowReader_SkipsIntermediateSnapshotsAndGetsTheLatest()
    {
        var vpc = GrainFeed.UniqueVpc();
        var enis = GrainFeed.UniqueEnis(1);
        var key = Key(vpc);
        await using var slow = server.Hub.Subscribe(key);
        await using var fast = server.Hub.Subscribe(key);
        var first = await ReadAsync(slow);
        Assert.Equal(0, first.Totals.Flows);
        Assert.Equal(first.Version, (await ReadAsync(fast)).Version);

        // Three changes while the slow reader does not read; the fast one sees every one of them.
        for (var round = 1; round <= 3; round++)
        {
            await server.ApplyAsync(QueryTraffic.Random(new Random(round), 5, 3, enis, server.Base.Addresses, server.Base.Account, vpc));
            var expected = 5 * round;
            while ((await ReadAsync(fast)).Totals.Flows != expected)
            {
            }
        }

        Assert.Equal(1, slow.Reader.Count);
        var latest = await ReadAsync(slow);
        Assert.Equal(15, latest.Totals.Flows);
        Assert.Equal(latest.Version, server.Hub.LatestFor(key)!.Version);
    }

    [Fact]
    public async Task Subscribe_LateSubscriber_GetsTheLatestSnapshotAtOnce()
    {
        var key = Key(server.Base.Vpc);
        await using var early = server.Hub.Subscribe(key);
        var snapshot = await ReadAsync(early);

        await using var late = server.Hub.Subscribe(key);

        Assert.True(late.Reader.TryRead(out var immediate));
        Assert.Equal(snapshot.Version, immediate.Version);
        Assert.Equal(snapshot.Totals, immediate.Totals);
    }

    [Fact]
    public async Task Unsubscribe_LastSubscriber_StopsThePoller()
    {
        await PollerWait.UntilAsync(() => server.Hub.PollerCount == 0, Bound, "pollers of earlier tests to stop");
        var key = Key(server.Base.Vpc);
        var one = server.Hub.Subscribe(key);
        var two = server.Hub.Subscribe(key);
        await ReadAsync(one);
        Assert.Equal(1, server.Hub.PollerCount);

        await one.DisposeAsync();
        Assert.Equal(1, server.Hub.PollerCount);
        await two.DisposeAsync();

        // Disposal awaits the poller's loop, so it is gone without waiting.
        Assert.Equal(0, server.Hub.PollerCount);
        Assert.Null(server.Hub.LatestFor(key));
    }

    [Fact]
    public async Task BeginShutdown_OpenSubscription_EndsItNormallyAndRefusesNewOnes()
    {
        await using var hub = new TopContributorsStreamHub(
            server.Grains, TimeProvider.System, server.App.Services.GetRequiredService<QueryMetrics>(), NullLogger<TopContributorsStreamHub>.Instance);
        var key = Key(server.Base.Vpc);
        await using var subscription = hub.Subscribe(key);
        await ReadAsync(subscription);

        hub.BeginShutdown();

        await subscription.Reader.Completion.WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Equal(0, hub.PollerCount);
        var refused = Assert.Throws<RpcException>(() => hub.Subscribe(key));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
    }

    private static StreamKey Key(string vpc) => new(
        QueryTarget.Leaderboard(LeaderboardScope.ForVpc(vpc)),
        new TopContributorsQuery(Aggregation.Dimension.SourceAddress, Aggregation.Metric.Bytes, Aggregation.Window.FifteenMinutes, 10),
        TimeSpan.FromMilliseconds(100));

    private static async Task<TopContributorsSnapshot> ReadAsync(StreamSubscription subscription)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Bound);
        return await subscription.Reader.ReadAsync(timeout.Token);
    }
}
