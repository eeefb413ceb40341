using System.Diagnostics;
using FlowMesh.Aggregation;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Query.Tests;

/// <summary>Server streams over a real socket: first snapshot, updates within a second, shared pollers, cleanup.</summary>
[Collection(QueryServerGroup.Name)]
public sealed class StreamTests(QueryServerFixture server, ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StreamTopContributors_DataApplied_UpdateArrivesWithinOneSecond()
    {
        await PollerWait.UntilAsync(() => server.Hub.PollerCount == 0, Bound, "pollers of earlier tests to stop");
        var vpc = GrainFeed.UniqueVpc();
        var enis = GrainFeed.UniqueEnis(2);
        await server.ApplyAsync(QueryTraffic.Random(new Random(1), 30, 5, enis, server.Base.Addresses, server.Base.Account, vpc));
        using var call = server.Client.StreamTopContributors(StreamRequest(vpc, 100), cancellationToken: Ct);

        var first = await NextAsync(call);
        Assert.Equal(1ul, first.Sequence);
        Assert.Equal(30, first.Snapshot.Totals.Flows);
        Assert.Equal("vpc:" + vpc, first.Snapshot.Scope);

        var delays = new List<TimeSpan>();
        var previous = first;
        for (var round = 0; round < 5; round++)
        {
            var more = QueryTraffic.Random(new Random(100 + round), 10, 5, enis, server.Base.Addresses, server.Base.Account, vpc);
            await server.ApplyAsync(more);
            var clock = Stopwatch.StartNew();
            var update = await NextWithNewVersionAsync(call, previous.Snapshot.Version);
            clock.Stop();
            delays.Add(clock.Elapsed);

            Assert.True(update.Sequence > previous.Sequence);
            Assert.NotNull(update.Snapshot.LastUpdated);
            var records = server.AllRecords.Where(r => r.VpcId == vpc).ToArray();
            SnapshotAssert.TotalsMatch(update.Snapshot.Totals, records, "stream");
            SnapshotAssert.TopMatches(update.Snapshot.Contributors, QueryTraffic.Exact(records, r => ContributorKey.ForAddress(r.SrcAddr), Dimension.SourceAddress, Metric.Bytes), 10, "stream");
            previous = update;
        }

        output.WriteLine($"stream update delay after apply (interval 100 ms): max {delays.Max().TotalMilliseconds:0} ms, mean {delays.Average(d => d.TotalMilliseconds):0} ms over {delays.Count} updates");
        Assert.All(delays, d => Assert.True(d <= TimeSpan.FromSeconds(1), $"an update took {d.TotalMilliseconds:0} ms"));
    }

    [Fact]
    public async Task StreamTopContributors_HundredSubscribers_ShareOnePollerAndAllReceiveTheUpdate()
    {
        await PollerWait.UntilAsync(() => server.Hub.PollerCount == 0, Bound, "pollers of earlier tests to stop");
        var vpc = GrainFeed.UniqueVpc();
        var enis = GrainFeed.UniqueEnis(2);
        await server.ApplyAsync(QueryTraffic.Random(new Random(2), 20, 5, enis, server.Base.Addresses, server.Base.Account, vpc));
        var calls = Enumerable.Range(0, 100).Select(_ => server.Client.StreamTopContributors(StreamRequest(vpc, 200), cancellationToken: Ct)).ToArray();
        try
        {
            var firsts = await Task.WhenAll(calls.Select(NextAsync));
            Assert.All(firsts, f => Assert.Equal(1ul, f.Sequence));
            Assert.All(firsts, f => Assert.Equal(20, f.Snapshot.Totals.Flows));
            Assert.Equal(1, server.Hub.PollerCount);

            await server.ApplyAsync(QueryTraffic.Random(new Random(3), 15, 5, enis, server.Base.Addresses, server.Base.Account, vpc));
            var clock = Stopwatch.StartNew();
            var updates = await Task.WhenAll(calls.Select((c, i) => TimedNextWithNewVersionAsync(c, firsts[i].Snapshot.Version, clock)));

            Assert.All(updates, u => Assert.Equal(35, u.Update.Snapshot.Totals.Flows));
            Assert.Equal(1, server.Hub.PollerCount);
            var slowest = updates.Max(u => u.Elapsed);
            output.WriteLine($"100 subscribers, one poller (interval 200 ms): slowest subscriber got the update {slowest.TotalMilliseconds:0} ms after apply");
        }
        finally
        {
            foreach (var call in calls) call.Dispose();
        }
        await PollerWait.UntilAsync(() => server.Hub.PollerCount == 0, Bound, "the shared poller to stop after its subscribers left");
    }

    [Fact]
    public async Task StreamTopContributors_ClientCancels_PollerStops()
    {
        await PollerWait.UntilAsync(() => server.Hub.PollerCount == 0, Bound, "pollers of earlier tests to stop");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var call = server.Client.StreamTopContributors(StreamRequest(server.Base.Vpc, 100), cancellationToken: cancel.Token);
        var first = await NextAsync(call);
        Assert.Equal(1ul, first.Sequence);
        Assert.Equal(1, server.Hub.PollerCount);

        await cancel.CancelAsync();

        await PollerWait.UntilAsync(() => server.Hub.PollerCount == 0, Bound, "the poller to stop after the client cancelled");
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task StreamTopContributors_DeadlinePasses_StreamEndsAndPollerStops()
    {
        await PollerWait.UntilAsync(() => server.Hub.PollerCount == 0, Bound, "pollers of earlier tests to stop");
        using var call = server.Client.StreamTopContributors(StreamRequest(server.Base.Vpc, 100), deadline: DateTime.UtcNow.AddMilliseconds(700), cancellationToken: Ct);
        var first = await NextAsync(call);
        Assert.Equal(1ul, first.Sequence);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(Ct))
            {
            }
        });
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await PollerWait.UntilAsync(() => server.Hub.PollerCount == 0, Bound, "the poller to stop after the deadline");
    }

    [Fact]
    public async Task StreamTopContributors_DifferentRequests_GetSeparatePollers()
    {
        await PollerWait.UntilAsync(() => server.Hub.PollerCount == 0, Bound, "pollers of earlier tests to stop");
        using var bytes = server.Client.StreamTopContributors(StreamRequest(server.Base.Vpc, 100), cancellationToken: Ct);
        var byFlows = StreamRequest(server.Base.Vpc, 100);
        byFlows.Query.Metric = V1.Metric.Flows;
        using var flows = server.Client.StreamTopContributors(byFlows, cancellationToken: Ct);

        Assert.Equal(V1.Metric.Bytes, (await NextAsync(bytes)).Snapshot.Metric);
        Assert.Equal(V1.Metric.Flows, (await NextAsync(flows)).Snapshot.Metric);
        Assert.Equal(2, server.Hub.PollerCount);
    }

    internal static V1.StreamTopContributorsRequest StreamRequest(string vpc, int intervalMs) => new()
    {
        Query = new V1.TopContributorsRequest { Scope = new V1.Scope { VpcId = vpc }, Window = V1.Window.FifteenMinutes, Limit = 10 },
        UpdateInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(intervalMs)),
    };

    private static async Task<V1.TopContributorsUpdate> NextAsync(AsyncServerStreamingCall<V1.TopContributorsUpdate> call)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Bound);
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token), "the stream ended");
        return call.ResponseStream.Current;
    }

    /// <summary>The next update with a different data version (a minute roll-over may send one with the same version first).</summary>
    private static async Task<V1.TopContributorsUpdate> NextWithNewVersionAsync(AsyncServerStreamingCall<V1.TopContributorsUpdate> call, long version)
    {
        while (true)
        {
            var update = await NextAsync(call);
            if (update.Snapshot.Version != version) return update;
        }
    }

    private static async Task<(V1.TopContributorsUpdate Update, TimeSpan Elapsed)> TimedNextWithNewVersionAsync(
        AsyncServerStreamingCall<V1.TopContributorsUpdate> call, long version, Stopwatch clock)
    {
        var update = await NextWithNewVersionAsync(call, version);
        return (update, clock.Elapsed);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
