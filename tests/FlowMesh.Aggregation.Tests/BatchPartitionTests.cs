using System.Text;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation.Tests;

/// <summary>
/// The split of a flush per grain key, against a brute-force split of the same rows: every row
/// goes to its interface, its source and destination addresses (once when they are equal), its
/// account and VPC scopes, and "all". Buffers reused across flushes of different sizes (as the
/// group commit does) must give exactly the same slices as fresh ones.
/// </summary>
public sealed class BatchPartitionTests
{
    private const string Format =
        "${version} ${account-id} ${vpc-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}";

    private static FlowBatchCombiner Combine(int seed, int count)
    {
        var rng = new Random(seed);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string Pick(string prefix, int n) => rng.Next(10) == 0 ? "-" : $"{prefix}{rng.Next(n)}";
        string Address() => rng.Next(20) == 0 ? "-" : $"10.0.{rng.Next(3)}.{rng.Next(1, 40)}";
        var lines = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var source = Address();
            var destination = rng.Next(15) == 0 ? source : Address();
            var start = now - rng.Next(0, 300);
            lines.Append(string.Join(' ', "5", Pick("11111111111", 3), Pick("vpc-0", 4), Pick("eni-0", 25), source, destination,
                rng.Next(1024, 65535), rng.Next(3) == 0 ? 22 : 443, 6, rng.Next(1, 20), rng.Next(40, 9000), start, start + 30,
                rng.Next(4) == 0 ? "REJECT" : "ACCEPT", "OK")).Append('\n');
        }
        var combiner = new FlowBatchCombiner();
        var lineNumber = 0;
        new FlowLogParser(FlowLogFormat.Parse(Format)).ParseText(Encoding.ASCII.GetBytes(lines.ToString()), combiner, ref lineNumber);
        Assert.Equal(0, combiner.Malformed);
        return combiner;
    }

    /// <summary>Brute force: each row appended, in row order, to the list of every key it belongs to.</summary>
    private static (Dictionary<string, List<FlowRow>> Interfaces, Dictionary<FlowAddress, List<FlowRow>> Addresses, Dictionary<string, List<FlowRow>> Scopes) Expected(IEnumerable<FlowRow> rows)
    {
        var interfaces = new Dictionary<string, List<FlowRow>>(StringComparer.Ordinal);
        var addresses = new Dictionary<FlowAddress, List<FlowRow>>();
        var scopes = new Dictionary<string, List<FlowRow>>(StringComparer.Ordinal);
        static void Append<TKey>(Dictionary<TKey, List<FlowRow>> lists, TKey key, FlowRow row) where TKey : notnull
        {
            if (!lists.TryGetValue(key, out var list)) lists[key] = list = [];
            list.Add(row);
        }
        foreach (var row in rows)
        {
            var k = row.Key;
            if (k.InterfaceId is { } eni) Append(interfaces, eni, row);
            if (!k.Source.IsAbsent) Append(addresses, k.Source, row);
            if (!k.Destination.IsAbsent && k.Destination != k.Source) Append(addresses, k.Destination, row);
            if (k.AccountId is { } account) Append(scopes, LeaderboardScope.ForAccount(account), row);
            if (k.VpcId is { } vpc) Append(scopes, LeaderboardScope.ForVpc(vpc), row);
            Append(scopes, LeaderboardScope.All, row);
        }
        return (interfaces, addresses, scopes);
    }

    private static void AssertSame<TKey>(Dictionary<TKey, List<FlowRow>> expected, IReadOnlyDictionary<TKey, ReadOnlyMemory<FlowRow>> actual) where TKey : notnull
    {
        Assert.Equal(expected.Keys.ToHashSet(), actual.Keys.ToHashSet());
        foreach (var (key, rows) in expected) Assert.Equal(rows, actual[key].ToArray());
    }

    [Fact]
    public void Partition_ReusedBuffersAcrossLargerAndSmallerFlushes_SameSlicesAsBruteForce()
    {
        var buffers = new PartitionBuffers();
        foreach (var (seed, count) in new[] { (1, 4_000), (2, 700), (3, 2_500), (4, 0), (5, 5_000) })
        {
            var combiner = Combine(seed, count);
            var partition = combiner.Partition(buffers);
            var (interfaces, addresses, scopes) = Expected(combiner.Rows);
            AssertSame(interfaces, partition.Interfaces);
            AssertSame(addresses, partition.Addresses);
            AssertSame(scopes, partition.Scopes);
            Assert.Equal(interfaces.Count + addresses.Count + scopes.Count, partition.GrainCalls);
            // Totals: every row's flows reach each of its keys exactly once.
            Assert.Equal(combiner.Rows.Sum(r => r.Flows), partition.Scopes.GetValueOrDefault(LeaderboardScope.All).ToArray().Sum(r => r.Flows));
        }
        Assert.True(buffers.ArenaCapacity > 0);
    }

    [Fact]
    public void Partition_FreshBuffers_SameAsReused()
    {
        var reused = new PartitionBuffers();
        Combine(9, 6_000).Partition(reused);
        var combiner = Combine(10, 1_500);
        var fresh = combiner.Partition();
        var again = combiner.Partition(reused);
        // Same key sets (nothing left over from the larger partition before), and the same rows per key.
        Assert.Equal((fresh.Addresses.Count, fresh.Interfaces.Count, fresh.Scopes.Count), (again.Addresses.Count, again.Interfaces.Count, again.Scopes.Count));
        foreach (var (key, rows) in fresh.Addresses) Assert.Equal(rows.ToArray(), again.Addresses[key].ToArray());
        foreach (var (key, rows) in fresh.Interfaces) Assert.Equal(rows.ToArray(), again.Interfaces[key].ToArray());
        foreach (var (key, rows) in fresh.Scopes) Assert.Equal(rows.ToArray(), again.Scopes[key].ToArray());
    }

    [Fact]
    public void WorthKeeping_AfterABurst_ThroughAFewSmallFlushes_ThenLetGoWithinTwentyTwo()
    {
        var buffers = new PartitionBuffers();
        var burstRows = ArenaRows(Combine(11, 20_000).Partition(buffers));
        Assert.Equal(burstRows, buffers.LastArenaRows);
        Assert.Equal(burstRows, buffers.RecentPeakRows);
        Assert.True(buffers.ArenaCapacity >= burstRows);
        Assert.True(buffers.ArenaCapacity > 4 * PartitionBuffers.AlwaysKeptArenaRows / 3, "the burst must outgrow the always-kept size");
        Assert.True(buffers.WorthKeeping);

        // Small flushes after the burst: the burst's size is remembered, shrinking by a sixteenth per flush,
        // so one tiny delivery between large ones does not make the next large flush allocate the arena again.
        var smallRows = ArenaRows(Combine(12, 300).Partition(buffers));
        Assert.Equal(smallRows, buffers.LastArenaRows);
        long peak = burstRows - (burstRows / 16);
        Assert.Equal(peak, buffers.RecentPeakRows);
        Assert.True(buffers.WorthKeeping);

        var flushes = 1;
        while (buffers.WorthKeeping)
        {
            Assert.True(flushes < 40, "the arena is never let go");
            Combine(12, 300).Partition(buffers);
            flushes++;
            peak = Math.Max(smallRows, peak - (peak / 16));
            Assert.Equal(peak, buffers.RecentPeakRows);
            Assert.Equal(buffers.ArenaCapacity <= Math.Max(PartitionBuffers.AlwaysKeptArenaRows, 4 * peak), buffers.WorthKeeping);
        }
        // The arena holds the burst to 1.5 × the burst; 4 × (15/16)^n falls below 1.5 after 16 flushes and below 1 after 22.
        Assert.InRange(flushes, 16, 22);

        // A flush of a quarter of the burst or more keeps it again.
        Combine(13, 6_000).Partition(buffers);
        Assert.True(4L * buffers.LastArenaRows >= buffers.ArenaCapacity);
        Assert.True(buffers.WorthKeeping);
    }

    private static int ArenaRows(BatchPartition partition) =>
        partition.Interfaces.Values.Sum(r => r.Length) + partition.Addresses.Values.Sum(r => r.Length)
        + partition.Scopes.Where(p => p.Key != LeaderboardScope.All).Sum(p => p.Value.Length);
}
