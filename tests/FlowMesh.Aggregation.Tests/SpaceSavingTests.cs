using static FlowMesh.Aggregation.Tests.TestStreams;

namespace FlowMesh.Aggregation.Tests;

public sealed class SpaceSavingTests
{
    private const int Items = 100_000;
    private const int Distinct = 10_000;

    [Theory]
    [InlineData(1.1, 64, 1)]
    [InlineData(1.1, 256, 2)]
    [InlineData(1.5, 64, 3)]
    [InlineData(1.5, 256, 4)]
    public void Add_ZipfStream_BoundsHoldAgainstExactCounts(double s, int capacity, int seed)
    {
        var keys = Zipf(seed, Items, Distinct, s);
        var weights = Ones(Items);

        var summary = Summarize(capacity, keys, weights);

        Assert.False(summary.IsExact);
        Assert.Equal(capacity, summary.Count);
        SummaryAssert.HoldsBounds(summary, Exact(keys, weights));
    }

    [Theory]
    [InlineData(64, 5)]
    [InlineData(256, 6)]
    public void Add_UniformStream_BoundsHoldAgainstExactCounts(int capacity, int seed)
    {
        var keys = Uniform(seed, Items, Distinct);
        var weights = Ones(Items);

        var summary = Summarize(capacity, keys, weights);

        SummaryAssert.HoldsBounds(summary, Exact(keys, weights));
    }

    [Theory]
    [InlineData(1.1, 64, 7)]
    [InlineData(1.5, 256, 8)]
    [InlineData(0.0, 256, 9)]
    public void Add_WeightedRandom_BoundsHoldAgainstExactCounts(double s, int capacity, int seed)
    {
        var keys = s == 0 ? Uniform(seed, Items, Distinct) : Zipf(seed, Items, Distinct, s);
        var weights = Weights(seed + 100, Items, 1_000_000);

        var summary = Summarize(capacity, keys, weights);

        SummaryAssert.HoldsBounds(summary, Exact(keys, weights));
    }

    [Theory]
    [InlineData(1.1, 11)]
    [InlineData(1.1, 12)]
    [InlineData(1.5, 13)]
    [InlineData(1.5, 14)]
    public void Top_ZipfWithCapacity256_FindsTrueTopTen(double s, int seed)
    {
        var keys = Zipf(seed, Items, Distinct, s);
        var weights = Ones(Items);

        var summary = Summarize(256, keys, weights);

        SummaryAssert.FindsTrueTop(summary, Exact(keys, weights), 10);
    }

    [Theory]
    [InlineData(64, 64, 21)]
    [InlineData(256, 200, 22)]
    public void Add_DistinctWithinCapacity_CountsExactAndErrorZero(int capacity, int distinct, int seed)
    {
        var keys = Uniform(seed, 20_000, distinct);
        var weights = Weights(seed, keys.Length, 1_000_000);

        var summary = Summarize(capacity, keys, weights);

        Assert.True(summary.IsExact);
        var exact = Exact(keys, weights);
        Assert.Equal(exact.OrderBy(p => p.Key), summary.ToArray().Select(e => KeyValuePair.Create(e.Key, e.Count)).OrderBy(p => p.Key));
        Assert.All(summary.ToArray(), e => Assert.Equal(0, e.Error));
        SummaryAssert.HoldsBounds(summary, exact);
    }

    [Fact]
    public void MinCount_NotFull_IsZero()
    {
        var summary = Summarize(8, [1, 2, 3, 3, 3], [5, 5, 5, 5, 5]);

        Assert.Equal(0, summary.MinCount);
        Assert.Equal(25, summary.TotalWeight);
    }

    [Fact]
    public void Add_NewKeyWhenFull_ReplacesMinimumChargedItsFilterCounter()
    {
        var summary = Summarize(2, [1, 1, 1, 2, 2], [1, 1, 1, 1, 1]);

        // Nothing was turned away or evicted yet, so every filter counter is 0: key 3 had no weight.
        summary.Add(3, 4);

        Assert.False(summary.TryGet(2, out _));
        Assert.True(summary.TryGet(3, out var replaced));
        Assert.Equal(new Estimate<int>(3, 4, 0), replaced);
        Assert.Equal(3, summary.MinCount);
        Assert.False(summary.IsExact);

        // Key 2 left its Count (2) in its bucket: a key of that bucket is charged it when it enters.
        var sharing = KeyInBucketOf(2, capacity: 2, except: [1, 2, 3]);
        summary.Add(sharing, 1);
        Assert.True(summary.TryGet(sharing, out var charged));
        Assert.Equal(new Estimate<int>(sharing, 2 + 1, 2), charged);
        Assert.False(summary.TryGet(1, out _)); // key 1 (Count 3) was the minimum
    }

    [Fact]
    public void Add_LightNewKeyWhenFull_OnlyRaisesItsBucketCounterUntilItReachesTheMinimum()
    {
        var summary = Summarize(2, [1, 1, 1, 2, 2, 2, 2], [1, 1, 1, 1, 1, 1, 1]); // 1: 3, 2: 4
        var light = KeyInBucketOf(100, capacity: 2, except: [1, 2]);
        Assert.NotEqual(SpaceSavingFilter.Bucket(light.GetHashCode(), SpaceSavingFilter.Shift(2)),
            SpaceSavingFilter.Bucket(1.GetHashCode(), SpaceSavingFilter.Shift(2)));

        summary.Add(light, 1); // 0 + 1 < 3: turned away
        summary.Add(light, 1); // 1 + 1 < 3: turned away

        Assert.False(summary.TryGet(light, out _));
        Assert.Equal((2, 3L, 9L), (summary.Count, summary.MinCount, summary.TotalWeight));
        Assert.True(summary.TryGet(1, out var one));
        Assert.Equal(new Estimate<int>(1, 3, 0), one);
        Assert.False(summary.IsExact);

        summary.Add(light, 1); // 2 + 1 reaches the minimum: it replaces key 1, charged the 2 it had

        Assert.True(summary.TryGet(light, out var entered));
        Assert.Equal(new Estimate<int>(light, 3, 2), entered);
        Assert.False(summary.TryGet(1, out _));
        SummaryAssert.HoldsBounds(summary, new Dictionary<int, long> { [1] = 3, [2] = 4, [light] = 3 });
    }

    // A key other than the excepted ones whose filter bucket is the given key's (the filter has 8
    // buckets below capacity 8, so one turns up among the first few hundred integers).
    private static int KeyInBucketOf(int key, int capacity, int[] except)
    {
        var shift = SpaceSavingFilter.Shift(capacity);
        var bucket = SpaceSavingFilter.Bucket(key.GetHashCode(), shift);
        return Enumerable.Range(1, 1_000).First(k => !except.Contains(k) && k != key && SpaceSavingFilter.Bucket(k.GetHashCode(), shift) == bucket);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Add_NonPositiveWeight_Throws(long weight)
    {
        var summary = new SpaceSaving<int>(4);

        Assert.Throws<ArgumentOutOfRangeException>(() => summary.Add(1, weight));
        Assert.Equal(0, summary.TotalWeight);
    }

    [Fact]
    public void Top_RandomWeights_SortedByCountThenErrorThenKey()
    {
        var keys = Zipf(31, 20_000, 2_000, 1.1);
        var summary = Summarize(128, keys, Weights(32, keys.Length, 50));
        var expected = summary.ToArray().OrderByDescending(e => e.Count).ThenBy(e => e.Error).ThenBy(e => e.Key).ToArray();

        Assert.Equal(expected[..20], summary.Top(20));
        Assert.Equal(expected, summary.Top(1_000));
        Assert.Empty(summary.Top(0));
    }

    [Fact]
    public void Top_EqualInputs_RankIdentically()
    {
        var keys = Uniform(33, 5_000, 300);
        var first = Summarize(64, keys, Ones(keys.Length));
        var second = Summarize(64, keys, Ones(keys.Length));

        Assert.Equal(first.Top(64), second.Top(64));
    }

    [Fact]
    public void TryGet_AbsentKey_ReturnsFalse()
    {
        var summary = Summarize(4, [1, 2], [3, 4]);

        Assert.False(summary.TryGet(9, out var estimate));
        Assert.Equal(default, estimate);
    }

    [Fact]
    public void Clear_ThenSameStream_MatchesFreshSummary()
    {
        var keys = Zipf(41, 10_000, 1_000, 1.1);
        var weights = Weights(42, keys.Length, 1_000);
        var reused = Summarize(64, Uniform(43, 5_000, 500), Ones(5_000));

        reused.Clear();
        Assert.True(reused.IsExact);
        Assert.Equal((0, 0L, 0L), (reused.Count, reused.TotalWeight, reused.MinCount));
        for (var i = 0; i < keys.Length; i++) reused.Add(keys[i], weights[i]);

        var fresh = Summarize(64, keys, weights);
        Assert.Equal(fresh.Top(64), reused.Top(64));
        Assert.Equal(fresh.MinCount, reused.MinCount);
        Assert.Equal(fresh.TotalWeight, reused.TotalWeight);
    }

    [Fact]
    public void FromEntries_RoundTrip_ContinuesLikeTheOriginal()
    {
        var keys = Zipf(51, 20_000, 2_000, 1.1);
        var weights = Weights(52, keys.Length, 100);
        var original = Summarize(64, keys.AsSpan(0, 10_000), weights.AsSpan(0, 10_000));

        var restored = SpaceSaving<int>.FromEntries(original.Capacity, original.TotalWeight, original.MinCount, original.IsExact, original.ToArray());
        Assert.Equal(original.Top(64), restored.Top(64));
        Assert.Equal((original.MinCount, original.TotalWeight, original.IsExact), (restored.MinCount, restored.TotalWeight, restored.IsExact));

        for (var i = 10_000; i < keys.Length; i++)
        {
            original.Add(keys[i], weights[i]);
            restored.Add(keys[i], weights[i]);
        }
        // The snapshot carries no filter counters (the restored summary starts every bucket at the
        // snapshot's MinCount), so the two may keep different tails; both keep every bound and the
        // true top ten.
        var exact = Exact(keys, weights);
        SummaryAssert.HoldsBounds(original, exact);
        SummaryAssert.HoldsBounds(restored, exact);
        SummaryAssert.FindsTrueTop(original, exact, 10);
        SummaryAssert.FindsTrueTop(restored, exact, 10);
    }

    [Fact]
    public void FromEntries_TrimmedSnapshot_KeepsMinCountAsAbsentBound()
    {
        var restored = SpaceSaving<int>.FromEntries(4, 100, 10, false, [new(1, 50, 0), new(2, 30, 10)]);

        restored.Add(3, 1);

        Assert.Equal(10, restored.MinCount);
        Assert.True(restored.TryGet(3, out var added));
        Assert.Equal(new Estimate<int>(3, 11, 10), added);
    }

    [Fact]
    public void FromEntries_InvalidEntries_Throw()
    {
        Assert.Throws<ArgumentException>(() => SpaceSaving<int>.FromEntries(1, 2, 0, true, [new(1, 1, 0), new(2, 1, 0)]));
        Assert.Throws<ArgumentException>(() => SpaceSaving<int>.FromEntries(4, 2, 0, true, [new(1, 1, 0), new(1, 1, 0)]));
        Assert.Throws<ArgumentException>(() => SpaceSaving<int>.FromEntries(4, 2, 0, true, [new(1, 1, 2)]));
    }

    [Fact]
    public void EstimatedBytes_GrowsWithEntries()
    {
        var summary = new SpaceSaving<ContributorKey>(256);
        var empty = summary.EstimatedBytes;
        for (var i = 0; i < 256; i++) summary.Add(ContributorKey.ForNumber(i), 1);

        Assert.True(summary.EstimatedBytes >= empty + (200L * summary.BytesPerEntry),
            $"{summary.EstimatedBytes} bytes for 256 entries of {summary.BytesPerEntry}.");
    }
}
