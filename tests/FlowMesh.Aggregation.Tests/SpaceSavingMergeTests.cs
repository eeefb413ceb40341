using static FlowMesh.Aggregation.Tests.TestStreams;

namespace FlowMesh.Aggregation.Tests;

public sealed class SpaceSavingMergeTests
{
    private const int Items = 100_000;
    private const int Distinct = 10_000;

    public static TheoryData<int, int, double> Splits()
    {
        var data = new TheoryData<int, int, double>();
        for (var parts = 2; parts <= 8; parts++)
        {
            data.Add(parts, 64, 1.1);
            data.Add(parts, 256, 1.5);
        }
        data.Add(5, 256, 0.0);
        return data;
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void Merge_StreamSplitInParts_BoundsHoldForWholeStream(int parts, int capacity, double s)
    {
        var seed = (parts * 1000) + capacity;
        var keys = s == 0 ? Uniform(seed, Items, Distinct) : Zipf(seed, Items, Distinct, s);
        var weights = Weights(seed + 1, Items, 1_000_000);
        var summaries = Split(keys, weights, parts, capacity, new Random(seed + 2));

        var merged = SpaceSaving<int>.Merge(summaries, capacity);

        SummaryAssert.HoldsBounds(merged, Exact(keys, weights));
    }

    [Theory]
    [InlineData(1.1, 61)]
    [InlineData(1.5, 62)]
    public void Merge_ZipfParts_FindsTrueTopTen(double s, int seed)
    {
        var keys = Zipf(seed, Items, Distinct, s);
        var weights = Ones(Items);
        var summaries = Split(keys, weights, 4, 256, new Random(seed));

        var merged = SpaceSaving<int>.Merge(summaries, 256);

        SummaryAssert.FindsTrueTop(merged, Exact(keys, weights), 10);
    }

    [Fact]
    public void Merge_OfMerges_BoundsHoldForWholeStream()
    {
        // Sixty minute-summaries merged into four 15-minute ones, then into the hour: the grain's shape.
        var keys = Zipf(71, Items, Distinct, 1.1);
        var weights = Weights(72, Items, 10_000);
        var minutes = Split(keys, weights, 60, 64, new Random(73));

        var quarters = minutes.Chunk(15).Select(q => SpaceSaving<int>.Merge(q, 64)).ToArray();
        var hour = SpaceSaving<int>.Merge(quarters, 64);

        Assert.All(quarters, q => Assert.False(q.IsExact));
        SummaryAssert.HoldsBounds(hour, Exact(keys, weights));
    }

    [Fact]
    public void MergeFrom_RepeatedPairwise_BoundsHoldForWholeStream()
    {
        var keys = Zipf(81, Items, Distinct, 1.1);
        var weights = Weights(82, Items, 1_000);
        var parts = Split(keys, weights, 6, 128, new Random(83));

        var accumulated = new SpaceSaving<int>(128);
        foreach (var part in parts) accumulated.MergeFrom(part);

        SummaryAssert.HoldsBounds(accumulated, Exact(keys, weights));
    }

    [Fact]
    public void MergeFrom_TwoParts_SameAsStaticMerge()
    {
        var keys = Zipf(91, 20_000, 3_000, 1.1);
        var parts = Split(keys, Ones(keys.Length), 2, 64, new Random(92));
        var expected = SpaceSaving<int>.Merge(parts, 64);

        parts[0].MergeFrom(parts[1]);

        Assert.Equal(expected.Top(64), parts[0].Top(64));
        Assert.Equal((expected.MinCount, expected.TotalWeight, expected.IsExact), (parts[0].MinCount, parts[0].TotalWeight, parts[0].IsExact));
    }

    [Fact]
    public void Merge_PartsInAnyOrder_SameResult()
    {
        var keys = Zipf(101, 50_000, 5_000, 1.1);
        var parts = Split(keys, Weights(102, keys.Length, 100), 7, 64, new Random(103));

        var forward = SpaceSaving<int>.Merge(parts, 64);
        var backward = SpaceSaving<int>.Merge(parts.Reverse(), 64);

        Assert.Equal(forward.Top(64), backward.Top(64));
        Assert.Equal(forward.MinCount, backward.MinCount);
    }

    [Fact]
    public void Merge_ExactSmallSummaries_IsExact()
    {
        var keys = Uniform(111, 30_000, 100);
        var weights = Weights(112, keys.Length, 1_000_000);
        var parts = Split(keys, weights, 8, 128, new Random(113));
        Assert.All(parts, p => Assert.True(p.IsExact));

        var merged = SpaceSaving<int>.Merge(parts, 128);

        Assert.True(merged.IsExact);
        var exact = Exact(keys, weights);
        Assert.Equal(exact.OrderBy(p => p.Key), merged.ToArray().Select(e => KeyValuePair.Create(e.Key, e.Count)).OrderBy(p => p.Key));
        Assert.All(merged.ToArray(), e => Assert.Equal(0, e.Error));
    }

    [Fact]
    public void Merge_ExactPartsOverflowingCapacity_DropsAndBoundsAbsentKeys()
    {
        // Each part is exact (50 keys in 64) but together they hold 150 keys in a capacity of 64.
        var keys = Enumerable.Range(0, 150).SelectMany(k => Enumerable.Repeat(k, 1 + (k % 7))).ToArray();
        var weights = Ones(keys.Length);
        var parts = new[] { keys.Where(k => k < 50), keys.Where(k => k is >= 50 and < 100), keys.Where(k => k >= 100) }
            .Select(p => p.ToArray())
            .Select(p => Summarize(64, p, Ones(p.Length)))
            .ToArray();

        var merged = SpaceSaving<int>.Merge(parts, 64);

        Assert.False(merged.IsExact);
        Assert.Equal(64, merged.Count);
        Assert.True(merged.MinCount > 0);
        SummaryAssert.HoldsBounds(merged, Exact(keys, weights));
    }

    [Fact]
    public void Merge_NoParts_EmptyAndExact()
    {
        var merged = SpaceSaving<int>.Merge([], 16);

        Assert.Equal((0, 0L, 0L, true), (merged.Count, merged.TotalWeight, merged.MinCount, merged.IsExact));
    }

    /// <summary>Deals every item to a random part (not contiguous: each part sees every key).</summary>
    private static SpaceSaving<int>[] Split(int[] keys, long[] weights, int parts, int capacity, Random random)
    {
        var summaries = Enumerable.Range(0, parts).Select(_ => new SpaceSaving<int>(capacity)).ToArray();
        for (var i = 0; i < keys.Length; i++) summaries[random.Next(parts)].Add(keys[i], weights[i]);
        return summaries;
    }
}
