using System.Threading.Channels;
using FlowMesh.Aggregation.Batching;
using FlowMesh.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlowMesh.Query.Tests;

/// <summary>Socket-free: a poller whose grain fails tells its subscribers and leaves the hub.</summary>
public sealed class StreamHubFailureTests
{
    [Fact]
    public async Task Subscribe_ClusterUnavailable_SubscribersGetTheErrorAndThePollerIsDetached()
    {
        var (grains, state) = FailingGrains.Create(() => new SiloUnavailableException("silo is gone"));
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        await using var hub = new TopContributorsStreamHub(
            grains, TimeProvider.System, new QueryMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            NullLogger<TopContributorsStreamHub>.Instance);
        var key = new StreamKey(
            QueryTarget.Leaderboard(LeaderboardScope.All),
            new TopContributorsQuery(Aggregation.Dimension.SourceAddress, Aggregation.Metric.Bytes, Aggregation.Window.FiveMinutes, 10),
            TimeSpan.FromMilliseconds(100));

        await using var one = hub.Subscribe(key);
        await using var two = hub.Subscribe(key);

        foreach (var subscription in new[] { one, two })
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var error = await Assert.ThrowsAsync<ChannelClosedException>(async () => await subscription.Reader.ReadAsync(timeout.Token));
            Assert.IsType<SiloUnavailableException>(error.InnerException);
        }
        // Detached before the subscribers were told, so nothing is left polling a dead cluster.
        Assert.Equal(0, hub.PollerCount);
        Assert.Equal(1, state.Calls);

        await using var fresh = hub.Subscribe(key);
        Assert.Equal(1, hub.PollerCount);
    }
}
