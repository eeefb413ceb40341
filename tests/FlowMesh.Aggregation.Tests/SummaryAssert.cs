namespace FlowMesh.Aggregation.Tests;

/// <summary>Checks every Space-Saving guarantee of a summary against the exact counts.</summary>
internal static class SummaryAssert
{
    public static void HoldsBounds<TKey>(SpaceSaving<TKey> summary, IReadOnlyDictionary<TKey, long> exact)
        where TKey : IEquatable<TKey>
    {
        Assert.Equal(exact.Values.Sum(), summary.TotalWeight);
        var minCount = summary.MinCount;
        // MinCount ≤ TotalWeight / Capacity, without rounding.
        Assert.True(minCount * summary.Capacity <= summary.TotalWeight,
            $"MinCount {minCount} × capacity {summary.Capacity} exceeds total {summary.TotalWeight}.");
        Assert.True(summary.Count <= summary.Capacity);

        var entries = summary.ToArray();
        Assert.Equal(summary.Count, entries.Length);
        Assert.Equal(entries.Length, entries.Select(e => e.Key).Distinct().Count());
        foreach (var e in entries)
        {
            var truth = exact.GetValueOrDefault(e.Key);
            Assert.True(e.LowerBound <= truth && truth <= e.Count,
                $"Key {e.Key}: true {truth} outside [{e.LowerBound}, {e.Count}].");
            Assert.InRange(e.Error, 0, minCount);
            Assert.True(summary.TryGet(e.Key, out var looked));
            Assert.Equal(e, looked);
        }

        foreach (var (key, truth) in exact)
        {
            if (truth > minCount)
                Assert.True(summary.TryGet(key, out _), $"Key {key} with true weight {truth} > MinCount {minCount} is missing.");
        }

        if (summary.IsExact)
        {
            Assert.Equal(exact.Count, entries.Length);
            Assert.All(entries, e => Assert.Equal((exact[e.Key], 0L), (e.Count, e.Error)));
        }
    }

    /// <summary>The summary's top-k are the true top-k: every listed key is at least as heavy as the
    /// true k-th, and every key strictly heavier than the true (k+1)-th is listed (ties may go either way).</summary>
    public static void FindsTrueTop(SpaceSaving<int> summary, IReadOnlyDictionary<int, long> exact, int k)
    {
        var truth = exact.OrderByDescending(p => p.Value).ToArray();
        var kth = truth[k - 1].Value;
        var next = truth.Length > k ? truth[k].Value : 0;
        var listed = summary.Top(k).Select(e => e.Key).ToHashSet();
        Assert.Equal(k, listed.Count);
        Assert.All(listed, key => Assert.True(exact[key] >= kth, $"Listed key {key} ({exact[key]}) is lighter than the true #{k} ({kth})."));
        Assert.All(truth.Where(p => p.Value > next), p => Assert.Contains(p.Key, listed));
    }
}
