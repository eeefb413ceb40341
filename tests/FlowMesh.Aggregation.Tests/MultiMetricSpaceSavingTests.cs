using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation.Tests;

/// <summary>
/// The shared-table summary against brute force and against four independent
/// <see cref="SpaceSaving{TKey}"/> summaries fed the same weights: every metric must match its
/// independent twin entry for entry, so it inherits every Space-Saving bound.
/// </summary>
public sealed class MultiMetricSpaceSavingTests
{
    private static readonly Metric[] Metrics = Enum.GetValues<Metric>();

    [Theory]
    [InlineData(1, 8, 40, 1.1)]
    [InlineData(2, 32, 2_000, 1.1)]
    [InlineData(3, 64, 5_000, 0.6)]
    [InlineData(4, 16, 16, 1.0)]
    // A full summary of leaderboard size (many keys turned away by the filter).
    [InlineData(5, 256, 20_000, 0.9)]
    public void Add_ZipfWithIndependentWeights_EachMetricMatchesIndependentSummaryAndBruteForce(int seed, int capacity, int distinct, double s)
    {
        var keys = TestStreams.Zipf(seed, 20_000, distinct, s);
        var random = new Random(seed);
        var summary = new MultiMetricSpaceSaving<int>(capacity);
        var twins = Metrics.Select(_ => new SpaceSaving<int>(capacity)).ToArray();
        var exact = Metrics.Select(_ => new Dictionary<int, long>()).ToArray();
        foreach (var key in keys)
        {
            // Packets and bytes correlate, flows are 1, rejects are rare and key-dependent: metrics rank different keys.
            var packets = random.NextInt64(1, 50);
            long[] weights = [packets * random.Next(40, 1_500), packets, 1, (key % 7 == 0 && random.Next(3) == 0) ? 1 : 0];
            summary.Add(key, weights[0], weights[1], weights[2], weights[3]);
            for (var m = 0; m < weights.Length; m++)
            {
                if (weights[m] == 0) continue;
                twins[m].Add(key, weights[m]);
                exact[m][key] = exact[m].GetValueOrDefault(key) + weights[m];
            }
        }

        for (var m = 0; m < Metrics.Length; m++)
        {
            var metric = Metrics[m];
            Assert.Equal(twins[m].ToArray().OrderBy(e => e.Key), summary.ToArray(metric).OrderBy(e => e.Key));
            Assert.Equal(twins[m].MinCount, summary.MinCount(metric));
            Assert.Equal(twins[m].IsExact, summary.IsExact(metric));
            Assert.Equal(twins[m].TotalWeight, summary.TotalWeight(metric));
            Assert.Equal(twins[m].Top(10), summary.Top(metric, 10));
            SummaryAssert.HoldsBounds(summary.ToSpaceSaving(metric)!, exact[m]);
            foreach (var (key, truth) in exact[m])
            {
                if (summary.TryGet(metric, key, out var e)) Assert.InRange(truth, e.LowerBound, e.Count);
                else Assert.True(truth <= summary.MinCount(metric));
            }
        }
        Assert.InRange(summary.Keys, Metrics.Max(m => summary.Count(m)), 4 * capacity);
    }

    [Fact]
    public void Add_FewerKeysThanCapacity_IsExact()
    {
        var summary = new MultiMetricSpaceSaving<ContributorKey>(64);
        var keys = Enumerable.Range(0, 50).Select(i => ContributorKey.ForAddress(FlowAddress.FromIPv4((uint)i))).ToArray();
        for (var round = 1; round <= 3; round++)
            foreach (var key in keys) summary.Add(key, 100, 2, 1, round == 2 ? 1 : 0);

        foreach (var metric in Metrics)
        {
            Assert.True(summary.IsExact(metric));
            Assert.Equal(0, summary.MinCount(metric));
        }
        Assert.True(summary.TryGet(Metric.Bytes, keys[7], out var bytes));
        Assert.Equal(new Estimate<ContributorKey>(keys[7], 300, 0), bytes);
        Assert.True(summary.TryGet(Metric.RejectedFlows, keys[7], out var rejected));
        Assert.Equal(1, rejected.Count);
        Assert.Equal(50, summary.Keys);
    }

    [Fact]
    public void Add_ZeroWeight_LeavesThatMetricUntouched()
    {
        var summary = new MultiMetricSpaceSaving<int>(4);
        summary.Add(1, 10, 1, 1, 0);
        summary.Add(2, 0, 0, 0, 0);

        Assert.Equal(0, summary.Count(Metric.RejectedFlows));
        Assert.Null(summary.ToSpaceSaving(Metric.RejectedFlows));
        Assert.False(summary.TryGet(Metric.Bytes, 2, out _));
        Assert.Equal(1, summary.Keys);
        Assert.Throws<ArgumentOutOfRangeException>(() => summary.Add(3, -1, 1, 1, 0));
    }

    [Fact]
    public void Add_EvictedFromEveryMetric_FreesTheKeyAndReusesItsEntry()
    {
        var summary = new MultiMetricSpaceSaving<int>(2);
        for (var key = 0; key < 1_000; key++) summary.Add(key, 1, 1, 1, 1);

        // Each metric evicts the same minimum, so only the two keys held remain stored.
        Assert.Equal(2, summary.Keys);
        Assert.All(Metrics, m => Assert.Equal(2, summary.Count(m)));
        Assert.All(Metrics, m => Assert.Equal(1_000, summary.TotalWeight(m)));
        var bytes = summary.EstimatedBytes;
        for (var key = 1_000; key < 2_000; key++) summary.Add(key, 1, 1, 1, 1);
        Assert.Equal(bytes, summary.EstimatedBytes);
    }

    [Fact]
    public void Add_LightTailWhenFull_TakesNoEntriesAndKeepsTheHeavyKeysExact()
    {
        // Eight heavy keys fill the summary; then 2,000 keys of weight 1 each. Plain Space-Saving
        // would let every one of them replace the minimum (evicting heavy keys, each new key taking
        // an entry); the filter spreads them over its 8 bucket counters, none of which gets near the
        // heavy keys' 1,000, so they only raise counters.
        var summary = new MultiMetricSpaceSaving<int>(8);
        for (var key = 0; key < 8; key++) summary.Add(key, 1_000, 1_000, 1_000, 0);
        for (var key = 100; key < 2_100; key++) summary.Add(key, 1, 1, 1, 0);

        Assert.Equal(8, summary.Keys);
        foreach (var metric in new[] { Metric.Bytes, Metric.Packets, Metric.Flows })
        {
            Assert.Equal((8, 1_000L, 10_000L, false), (summary.Count(metric), summary.MinCount(metric), summary.TotalWeight(metric), summary.IsExact(metric)));
            for (var key = 0; key < 8; key++)
            {
                Assert.True(summary.TryGet(metric, key, out var heavy));
                Assert.Equal(new Estimate<int>(key, 1_000, 0), heavy);
            }
        }
        var exact = Enumerable.Range(0, 8).ToDictionary(k => k, _ => 1_000L);
        for (var key = 100; key < 2_100; key++) exact[key] = 1;
        SummaryAssert.HoldsBounds(summary.ToSpaceSaving(Metric.Bytes)!, exact);
    }

    [Fact]
    public void Clear_ForgetsEverythingAndKeepsWorking()
    {
        var summary = new MultiMetricSpaceSaving<int>(8);
        for (var key = 0; key < 100; key++) summary.Add(key, key + 1, 1, 1, key & 1);
        summary.Clear();

        Assert.Equal(0, summary.Keys);
        Assert.All(Metrics, m => Assert.Equal((0, 0L, true), (summary.Count(m), summary.TotalWeight(m), summary.IsExact(m))));
        summary.Add(5, 7, 1, 1, 1);
        Assert.Equal([new Estimate<int>(5, 7, 0)], summary.Top(Metric.Bytes, 3));
    }
}
