using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation.Tests;

/// <summary>
/// The scratch table behind <see cref="ContributorBoard.BeginBatch"/>. Pooled tables are shared by
/// every grain kind, so a table a leaderboard grew to thousands of buckets is reused for an address
/// board's few keys; clearing then empties only the buckets those keys used.
/// </summary>
public sealed class ContributorBatchTests
{
    [Fact]
    public void Clear_SmallBatchInAGrownTable_EmptiesEveryBucketAndLaterBatchesSumExactly()
    {
        var random = new Random(11);
        var batch = new ContributorBatch();

        // A large batch grows the table; clearing it takes the whole-array path.
        AddAndCheck(batch, random, distinctKeys: 5_000, adds: 12_000);
        var grownBuckets = batch.BucketCount;
        Assert.True(grownBuckets >= 8_192, $"the table grew to only {grownBuckets} buckets");
        batch.Clear();
        Assert.Equal(0, batch.OccupiedBuckets);

        // Small batches in the grown table (fewer items than buckets / 16) take the partial path:
        // each must leave no bucket behind, or a later batch follows a stale chain.
        for (var round = 0; round < 20; round++)
        {
            var distinct = random.Next(1, grownBuckets / 32); // per dimension, two dimensions
            AddAndCheck(batch, random, distinct, adds: distinct * 3);
            Assert.Equal(grownBuckets, batch.BucketCount);
            Assert.True(batch.Items.Length < grownBuckets / 16);
            batch.Clear();
            Assert.Equal(0, batch.OccupiedBuckets);
            Assert.Equal(0, batch.Items.Length);
        }

        // And a large one again after them.
        AddAndCheck(batch, random, distinctKeys: 4_000, adds: 9_000);
    }

    /// <summary>Adds random weights to random keys of two dimensions and checks the items against brute force.</summary>
    private static void AddAndCheck(ContributorBatch batch, Random random, int distinctKeys, int adds)
    {
        var expected = new Dictionary<(int Dimension, ContributorKey Key), long[]>();
        var order = new List<(int, ContributorKey)>();
        for (var i = 0; i < adds; i++)
        {
            var d = random.Next(2);
            var n = random.Next(distinctKeys);
            // Port 0 is the default key: a stale bucket pointing at a cleared item would match it.
            var key = d == 0 ? ContributorKey.ForNumber(n) : ContributorKey.ForAddress(FlowAddress.FromIPv4(0x0A00_0000u + (uint)n));
            long[] weights = [random.Next(1, 1_500), random.Next(1, 5), random.Next(2), random.Next(2)];
            Assert.True(batch.TryAdd(d, in key, weights[0], weights[1], weights[2], weights[3]));
            if (!expected.TryGetValue((d, key), out var sums))
            {
                expected[(d, key)] = sums = new long[4];
                order.Add((d, key));
            }
            for (var m = 0; m < 4; m++) sums[m] += weights[m];
        }

        var items = batch.Items.ToArray();
        Assert.Equal(order, items.Select(item => (item.Dimension, item.Key)));
        foreach (var item in items)
        {
            var sums = expected[(item.Dimension, item.Key)];
            Assert.Equal(sums, new[] { item.Bytes, item.Packets, item.Flows, item.RejectedFlows });
            Assert.Equal(item.Key.GetHashCode(), item.Hash);
        }
    }
}
