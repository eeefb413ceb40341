using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;
using FlowMesh.Grains;
using FlowMesh.Grains.Durability;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using StackExchange.Redis;

namespace FlowMesh.Cluster.Tests;

/// <summary>The Redis journal against a real redis-server: round trip, order, paging, trimming and expiry.</summary>
public sealed class RedisGrainJournalTests
{
    private static Serializer CreateSerializer() =>
        new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(FlowDelta).Assembly).AddAssembly(typeof(AppliedDeltaEntry).Assembly))
            .BuildServiceProvider().GetRequiredService<Serializer>();

    private static AppliedDeltaEntry Entry(int i) => new(
        new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero).AddSeconds(i).UtcTicks,
        new FlowDelta(Guid.NewGuid(), new FlowRow[]
        {
            new FlowRow(new FlowRowKey(29_000_000 + i, "eni-0a1b2c3d4e5f60718", "123456789012", "vpc-0123456789abcdef0",
                FlowAddress.Parse("10.0.0.1"), FlowAddress.Parse($"10.0.{i / 250}.{(i % 250) + 1}"), 443, 6, FlowAction.Accept, FlowDirection.Ingress, LogStatus.Ok),
                i + 1, (i + 1) * 10L, (i + 1) * 1000L),
        }));

    [Fact]
    public async Task ReadAsync_MoreEntriesThanAPage_ReturnsEveryEntryInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisServer.StartAsync(ct);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var journal = new RedisGrainJournal(connection, CreateSerializer(), "svc-" + Guid.NewGuid().ToString("N")[..8]);
        var grain = GrainId.Create("interface", "eni-0a1b2c3d4e5f60718");
        var written = Enumerable.Range(0, (2 * RedisGrainJournal.ReadPage) + 276).Select(Entry).ToList();

        foreach (var entry in written) await journal.AppendAsync(grain, entry, TimeSpan.FromHours(1));
        var read = await journal.ReadAsync<AppliedDeltaEntry>(grain, ct);
        var other = await journal.ReadAsync<AppliedDeltaEntry>(GrainId.Create("interface", "eni-other"), ct);

        Assert.Equal(written.Count, read.Count);
        Assert.Equal(written.Select(e => (e.AppliedAtUtcTicks, e.Delta.FlushId, e.Delta.Rows.Span[0])), read.Select(e => (e.AppliedAtUtcTicks, e.Delta.FlushId, e.Delta.Rows.Span[0])));
        Assert.Empty(other);
    }

    [Fact]
    public async Task AppendAsync_EntriesOlderThanTheRetention_AreTrimmedAndTheKeyExpires()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisServer.StartAsync(ct);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var serviceId = "svc-" + Guid.NewGuid().ToString("N")[..8];
        var grain = GrainId.Create("leaderboard", "all");
        var journal = new RedisGrainJournal(connection, CreateSerializer(), serviceId);
        for (var i = 0; i < 5; i++) await journal.AppendAsync(grain, Entry(i), TimeSpan.FromHours(1));
        Assert.Equal(5, (await journal.ReadAsync<AppliedDeltaEntry>(grain, ct)).Count);
        var db = connection.GetDatabase();
        var key = $"flowmesh:{serviceId}:journal:{grain}";
        var lastId = (await db.StreamRangeAsync(key, "-", "+", messageOrder: Order.Descending, count: 1))[0].Id.ToString();
        var lastMs = long.Parse(lastId.Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
        // Wait (polling Redis' own clock, which stamps entry ids) until the next entry is a later millisecond.
        await Poll.UntilAsync(async () => ServerMilliseconds(await db.ExecuteAsync("TIME")) > lastMs + 1, TimeSpan.FromSeconds(5), () => "redis clock advances", ct);

        // A journal whose clock says the five entries are more than an hour old (Redis stamps ids with its own clock).
        var later = new RedisGrainJournal(connection, CreateSerializer(), serviceId, new FixedTime(DateTimeOffset.FromUnixTimeMilliseconds(lastMs + 1) + TimeSpan.FromHours(1)));
        await later.AppendAsync(grain, Entry(99), TimeSpan.FromHours(1));
        var read = await journal.ReadAsync<AppliedDeltaEntry>(grain, ct);
        var ttl = await db.KeyTimeToLiveAsync(key);

        Assert.Equal([Entry(99).AppliedAtUtcTicks], read.Select(e => e.AppliedAtUtcTicks));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static long ServerMilliseconds(RedisResult time)
    {
        var parts = (RedisResult[])time!;
        return (((long)parts[0]) * 1000) + (((long)parts[1]) / 1000);
    }
}
