using FlowMesh.Aggregation;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;
using FlowMesh.Ingest.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FlowMesh.Grains.Tests;

/// <summary>The ingest role's group commit against the real grains of the test cluster.</summary>
[Collection(ClusterGroup.Name)]
public sealed class GroupCommitTests(ClusterFixture fixture) : IAsyncLifetime
{
    private const string Account = "444455556666";
    private ServiceProvider _services = null!;
    private IDeliveryPipeline _pipeline = null!;
    private GroupCommitStatistics _statistics = null!;

    public async ValueTask InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(fixture.Grains);
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{GroupCommitOptions.SectionName}:FlushInterval"] = "00:00:01" })
            .Build();
        services.AddSingleton(configuration);
        services.AddDeliveryPipeline();
        _services = services.BuildServiceProvider();
        _pipeline = _services.GetRequiredService<IDeliveryPipeline>();
        _statistics = _services.GetRequiredService<GroupCommitStatistics>();
        foreach (var hosted in _services.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in _services.GetServices<IHostedService>()) await hosted.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task CommitAsync_ConcurrentDeliveries_OneFlushAndOneGrainCallPerKey()
    {
        var (vpc, deliveries) = VpcDeliveries(new Random(31), count: 20, records: 250, interfaces: 8, addresses: 30);

        // Every batch exists (is being "decoded") before the first is committed, so the group commit,
        // which flushes as soon as no batch is still joining, waits for all of them: one flush. Creating
        // and committing them one by one would let it flush between two deliveries.
        var batches = deliveries.Select(records =>
        {
            var batch = _pipeline.CreateBatch(Guid.NewGuid().ToString(), null);
            foreach (var r in records) batch.OnRecord(in r);
            return batch;
        }).ToList();
        DeliveryOutcome[] outcomes;
        try
        {
            outcomes = await Task.WhenAll(batches.Select(b => _pipeline.CommitAsync(b, TestContext.Current.CancellationToken).AsTask()));
        }
        finally
        {
            foreach (var b in batches) b.Dispose();
        }

        Assert.All(outcomes, o => Assert.Equal(DeliveryOutcome.Applied, o));
        var all = deliveries.SelectMany(d => d).ToList();
        var expectedCalls = all.Select(r => r.InterfaceId).Distinct().Count()
            + all.SelectMany(r => new[] { r.SrcAddr, r.DstAddr }).Distinct().Count()
            + 3; // scopes: all, account, vpc
        Assert.Equal(1, _statistics.Flushes);
        Assert.Equal(expectedCalls, _statistics.GrainCalls);
        Assert.Equal(all.Count, _statistics.Records);
        await AssertVpcTotalsAsync(vpc, all);
    }

    [Fact]
    public async Task CommitAsync_SameRequestIdAgain_CountedOnce()
    {
        var rng = new Random(32);
        var vpc = GrainApply.UniqueVpc();
        var records = TestTraffic.Random(rng, 400, fixture.Time.GetUtcNow(), 10, GrainApply.UniqueEnis(2), TestTraffic.Addresses(rng, 10), Account, vpc);
        var requestId = Guid.NewGuid().ToString();

        Assert.Equal(DeliveryOutcome.Applied, await CommitAsync(requestId, records));
        Assert.True(await _pipeline.WasAppliedAsync(requestId, TestContext.Current.CancellationToken));
        Assert.Equal(DeliveryOutcome.Duplicate, await CommitAsync(requestId, records));

        await AssertVpcTotalsAsync(vpc, records);
    }

    [Fact]
    public async Task CommitAsync_GrainFailsMidFlush_RetryCompletesWithoutDoubleCounting()
    {
        var rng = new Random(33);
        var vpc = GrainApply.UniqueVpc();
        var addresses = TestTraffic.Addresses(rng, 12);
        var records = TestTraffic.Random(rng, 600, fixture.Time.GetUtcNow(), 10, GrainApply.UniqueEnis(3), addresses, Account, vpc);
        var victim = GrainKeys.Address(records[0].SrcAddr);
        fixture.Faults.FailNextApply(victim);
        var requestId = Guid.NewGuid().ToString();

        await Assert.ThrowsAsync<DeliveryUnavailableException>(() => CommitAsync(requestId, records));
        Assert.False(await _pipeline.WasAppliedAsync(requestId, TestContext.Current.CancellationToken));
        // Every other view already has the flush; the leaderboard must not get it twice on retry.
        await AssertVpcTotalsAsync(vpc, records);

        var outcome = await CommitAsync(requestId, records);

        Assert.Equal(DeliveryOutcome.Duplicate, outcome);
        Assert.True(await _pipeline.WasAppliedAsync(requestId, TestContext.Current.CancellationToken));
        await AssertVpcTotalsAsync(vpc, records);
        var victimAddress = records[0].SrcAddr;
        var summary = await fixture.Grains.GetGrain<IAddressGrain>(victim).DescribeAsync(Window.SixtyMinutes, 1);
        Assert.NotNull(summary);
        Assert.Equal(records.Count(r => r.SrcAddr == victimAddress), summary.AsSource.Totals.Flows);
        Assert.Equal(records.Where(r => r.DstAddr == victimAddress).Sum(r => r.Bytes), summary.AsDestination.Totals.Bytes);
    }

    [Fact]
    public async Task CommitAsync_CallerGivesUpBeforeTheFlush_RetryJoinsItAndCountsOnce()
    {
        var rng = new Random(34);
        var vpc = GrainApply.UniqueVpc();
        var records = TestTraffic.Random(rng, 300, fixture.Time.GetUtcNow(), 10, GrainApply.UniqueEnis(2), TestTraffic.Addresses(rng, 8), Account, vpc);
        var requestId = Guid.NewGuid().ToString();
        // Another delivery still being decoded keeps the flush open for its 1 s interval, so the
        // caller's 50 ms deadline passes while this delivery is queued.
        var stillDecoding = _pipeline.CreateBatch(Guid.NewGuid().ToString(), null);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CommitWithDeadlineAsync(requestId, records, deadline.Token));
        stillDecoding.Dispose();
        var retry = await CommitAsync(requestId, records);

        Assert.Equal(DeliveryOutcome.Duplicate, retry);
        Assert.True(await _pipeline.WasAppliedAsync(requestId, TestContext.Current.CancellationToken));
        await AssertVpcTotalsAsync(vpc, records);
    }

    [Fact]
    public async Task CommitAsync_NobodyElseDecoding_FlushesWithoutWaitingForTheInterval()
    {
        // The pipeline's clock is frozen, so the flush interval never elapses: only the
        // "everyone who could join has joined" rule can close this flush.
        await using var frozen = await StartPipelineAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(fixture.Time.GetUtcNow()));
        var rng = new Random(35);
        var vpc = GrainApply.UniqueVpc();
        var records = TestTraffic.Random(rng, 200, fixture.Time.GetUtcNow(), 10, GrainApply.UniqueEnis(2), TestTraffic.Addresses(rng, 8), Account, vpc);
        var pipeline = frozen.GetRequiredService<IDeliveryPipeline>();

        using var batch = pipeline.CreateBatch(Guid.NewGuid().ToString(), null);
        foreach (var r in records) batch.OnRecord(in r);
        var outcome = await pipeline.CommitAsync(batch, TestContext.Current.CancellationToken);

        Assert.Equal(DeliveryOutcome.Applied, outcome);
        Assert.Equal(1, frozen.GetRequiredService<GroupCommitStatistics>().Flushes);
        await AssertVpcTotalsAsync(vpc, records);
    }

    [Fact]
    public async Task CommitAsync_AnotherDeliveryAnnounced_TheFlushWaitsForItsBatchAndTakesBoth()
    {
        // Frozen clock: the interval never elapses, so the flush closes only once every delivery
        // that could join has joined, and an announced delivery (body still arriving) could.
        await using var frozen = await StartPipelineAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(fixture.Time.GetUtcNow()));
        var ct = TestContext.Current.CancellationToken;
        var (vpc, deliveries) = VpcDeliveries(new Random(36), count: 2, records: 150, interfaces: 2, addresses: 8);
        var (first, second) = (deliveries[0], deliveries[1]);
        var pipeline = frozen.GetRequiredService<IDeliveryPipeline>();

        var arriving = pipeline.AnnounceDelivery();
        using var a = pipeline.CreateBatch(Guid.NewGuid().ToString(), null);
        foreach (var r in first) a.OnRecord(in r);
        var committedA = pipeline.CommitAsync(a, ct).AsTask();
        // The collector holds the first delivery and waits: it would flush it alone without the announcement
        // (and this condition would then never hold for long, or be missed: the test fails either way).
        var statistics = frozen.GetRequiredService<GroupCommitStatistics>();
        await WaitUntilHeldAloneAsync(statistics, committedA, ct);
        using var b = pipeline.CreateBatch(Guid.NewGuid().ToString(), null);
        foreach (var r in second) b.OnRecord(in r);
        arriving.Dispose();
        arriving.Dispose(); // twice is harmless: the count must not go below the real number of joiners
        // Bounded: a count left above zero would hold the flush open for ever under the frozen clock.
        var outcomeB = await pipeline.CommitAsync(b, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(DeliveryOutcome.Applied, await committedA.WaitAsync(TimeSpan.FromSeconds(30), ct));
        Assert.Equal(DeliveryOutcome.Applied, outcomeB);
        // Without the announcement the first batch would have been flushed alone before the second existed.
        Assert.Equal(1, statistics.Flushes);
        Assert.Equal(2, statistics.Requests);
        Assert.Equal(0, statistics.Gathering);
        await AssertVpcTotalsAsync(vpc, [.. first, .. second]);
    }

    [Fact]
    public async Task CommitAsync_FlushWhenHalfJoined_TheFlushClosesOnceAsManyJoinedAsAreOnTheirWay()
    {
        // Frozen clock: the interval never elapses. Three deliveries are announced besides the first,
        // so without the option the flush would wait for all of them.
        await using var frozen = await StartPipelineAsync(
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider(fixture.Time.GetUtcNow()),
            new() { ["FlowMesh:Ingest:GroupCommit:FlushWhenHalfJoined"] = "true" });
        var ct = TestContext.Current.CancellationToken;
        var (vpc, deliveries) = VpcDeliveries(new Random(37), count: 2, records: 150, interfaces: 2, addresses: 8);
        var (first, second) = (deliveries[0], deliveries[1]);
        var pipeline = frozen.GetRequiredService<IDeliveryPipeline>();
        var statistics = frozen.GetRequiredService<GroupCommitStatistics>();

        var arriving = new[] { pipeline.AnnounceDelivery(), pipeline.AnnounceDelivery(), pipeline.AnnounceDelivery() };
        using var a = pipeline.CreateBatch(Guid.NewGuid().ToString(), null);
        foreach (var r in first) a.OnRecord(in r);
        var committedA = pipeline.CommitAsync(a, ct).AsTask();
        // One joined, three on their way: the collector holds the first delivery and waits.
        await WaitUntilHeldAloneAsync(statistics, committedA, ct);

        // The second delivery's batch replaces its announcement: two joined, two on their way.
        using var b = pipeline.CreateBatch(Guid.NewGuid().ToString(), null);
        foreach (var r in second) b.OnRecord(in r);
        arriving[0].Dispose();
        // Bounded: without the option the two announcements left would hold the flush open for ever.
        var outcomeB = await pipeline.CommitAsync(b, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(DeliveryOutcome.Applied, await committedA.WaitAsync(TimeSpan.FromSeconds(30), ct));
        Assert.Equal(DeliveryOutcome.Applied, outcomeB);
        Assert.Equal(1, statistics.Flushes);
        Assert.Equal(2, statistics.Requests);
        await AssertVpcTotalsAsync(vpc, [.. first, .. second]);
        foreach (var announcement in arriving) announcement.Dispose();
    }

    [Fact]
    public async Task CommitAsync_DeltasCarryTheFlushNumber_SettledBelowWaitsForAFlushStillBeingRetried()
    {
        // A pipeline of its own numbers its flushes from 1; its clock is frozen, so a pending flush is
        // retried only by the Firehose retry below, never by the background timer.
        await using var own = await StartPipelineAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(fixture.Time.GetUtcNow()));
        var pipeline = own.GetRequiredService<IDeliveryPipeline>();
        var (vpc, deliveries) = VpcDeliveries(new Random(36), count: 5, records: 100, interfaces: 2, addresses: 8);
        var seen = fixture.Faults.RecordApplies(LeaderboardScope.ForVpc(vpc));
        async Task<DeliveryOutcome> Commit(string requestId, List<FlowRecord> records)
        {
            using var batch = pipeline.CreateBatch(requestId, null);
            foreach (var r in records) batch.OnRecord(in r);
            return await pipeline.CommitAsync(batch, TestContext.Current.CancellationToken);
        }

        Assert.Equal(DeliveryOutcome.Applied, await Commit("a", deliveries[0]));
        Assert.Equal(DeliveryOutcome.Applied, await Commit("b", deliveries[1]));
        // Flush 3 fails at one address grain: it stays pending, so nothing from 3 on is settled.
        var statistics = own.GetRequiredService<GroupCommitStatistics>();
        Assert.Equal(0, statistics.UnsettledFlushes);
        fixture.Faults.FailNextApply(GrainKeys.Address(deliveries[2][0].SrcAddr));
        await Assert.ThrowsAsync<DeliveryUnavailableException>(() => Commit("c", deliveries[2]));
        Assert.Equal(DeliveryOutcome.Applied, await Commit("d", deliveries[3]));
        Assert.Equal(1, statistics.UnsettledFlushes); // flush 3
        // Firehose's retry of "c" completes flush 3 (only the failed call is sent again) and settles it.
        Assert.Equal(DeliveryOutcome.Duplicate, await Commit("c", deliveries[2]));
        Assert.Equal(0, statistics.UnsettledFlushes);
        Assert.Equal(DeliveryOutcome.Applied, await Commit("e", deliveries[4]));

        var sequences = seen.Select(d => d.Sequence).ToList();
        Assert.Equal([1L, 2, 3, 4, 5], sequences.Select(q => q.Number));
        Assert.Equal([1L, 2, 3, 3, 5], sequences.Select(q => q.SettledBelow));
        Assert.Single(sequences.Select(q => q.Source).Distinct());
        Assert.NotEqual(Guid.Empty, sequences[0].Source);
        Assert.Equal(5, seen.Select(d => d.FlushId).Distinct().Count());
        await AssertVpcTotalsAsync(vpc, [.. deliveries.SelectMany(d => d)]);
    }

    /// <summary>Deliveries of random records in a VPC of their own, over shared interfaces and addresses.</summary>
    private (string Vpc, List<List<FlowRecord>> Deliveries) VpcDeliveries(Random rng, int count, int records, int interfaces, int addresses)
    {
        var vpc = GrainApply.UniqueVpc();
        var enis = GrainApply.UniqueEnis(interfaces);
        var pool = TestTraffic.Addresses(rng, addresses);
        return (vpc, [.. Enumerable.Range(0, count).Select(_ => TestTraffic.Random(rng, records, fixture.Time.GetUtcNow(), 10, enis, pool, Account, vpc))]);
    }

    private async Task<ServiceProvider> StartPipelineAsync(TimeProvider time, Dictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(fixture.Grains);
        services.AddSingleton(time);
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build());
        services.AddDeliveryPipeline();
        var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
        return provider;
    }

    /// <summary>
    /// Waits (at most 30 s) until the collector holds exactly one delivery without having flushed it;
    /// fails if that delivery was flushed alone meanwhile.
    /// </summary>
    private static async Task WaitUntilHeldAloneAsync(GroupCommitStatistics statistics, Task<DeliveryOutcome> committed, CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (statistics.Gathering != 1 || committed.IsCompleted)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30) && !committed.IsCompleted, "the first delivery was flushed alone, or never gathered");
            await Task.Delay(1, ct);
        }
    }

    private Task<DeliveryOutcome> CommitAsync(string requestId, IEnumerable<FlowRecord> records) =>
        CommitWithDeadlineAsync(requestId, records, TestContext.Current.CancellationToken);

    private async Task<DeliveryOutcome> CommitWithDeadlineAsync(string requestId, IEnumerable<FlowRecord> records, CancellationToken cancellationToken)
    {
        using var batch = _pipeline.CreateBatch(requestId, null);
        foreach (var r in records) batch.OnRecord(in r);
        return await _pipeline.CommitAsync(batch, cancellationToken);
    }

    private async Task AssertVpcTotalsAsync(string vpc, List<FlowRecord> records)
    {
        var snapshot = await fixture.Grains.GetGrain<ILeaderboardGrain>(LeaderboardScope.ForVpc(vpc))
            .GetTopContributorsAsync(new TopContributorsQuery(Dimension.SourceAddress, Metric.Bytes, Window.SixtyMinutes, 5));
        Assert.Equal(records.Count, snapshot.Totals.Flows);
        Assert.Equal(records.Sum(r => r.Bytes), snapshot.Totals.Bytes);
        Assert.Equal(records.Count(r => r.Action == FlowAction.Reject), snapshot.Totals.RejectedFlows);
    }
}
