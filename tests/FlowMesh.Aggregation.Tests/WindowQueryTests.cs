namespace FlowMesh.Aggregation.Tests;

public sealed class WindowQueryTests
{
    private const long Start = 29_500_000;

    public static TheoryData<int, Dimension, Metric> WindowsDimensionsMetrics()
    {
        var data = new TheoryData<int, Dimension, Metric>();
        foreach (var window in new[] { 1, 5, 15, 60 })
            foreach (var dimension in TestFlow.Dimensions)
                foreach (var metric in Enum.GetValues<Metric>())
                    data.Add(window, dimension, metric);
        return data;
    }

    [Theory]
    [MemberData(nameof(WindowsDimensionsMetrics))]
    public void Top_DistinctWithinCapacity_MembersValuesAndTotalsExact(int window, Dimension dimension, Metric metric)
    {
        // 20 sources × 10 destinations: at most 200 keys in any dimension, below the capacity of 256.
        var (ring, now, inWindow) = Run(SmallWorkload, window);

        var result = WindowQuery.Top(ring, now, (Window)window, dimension, metric, limit: 1_000, capacity: 256);

        var expectedTotals = ExpectedTotals(inWindow);
        Assert.Equal(expectedTotals, result.Totals);
        Assert.Equal((double)expectedTotals.RejectedFlows / expectedTotals.Flows, result.RejectRate);
        Assert.True(result.Exact);
        Assert.Equal(0, result.MaxError);
        Assert.NotEmpty(result.Items);
        var total = expectedTotals.Of(metric);
        var expected = BruteForce(inWindow, dimension, metric)
            .Select(p => new Contributor(p.Key, p.Value, 0, (double)p.Value / total));
        Assert.Equal(expected, result.Items);
    }

    [Theory]
    [MemberData(nameof(WindowsDimensionsMetrics))]
    public void Top_DistinctBeyondCapacity_ValuesWithinReportedBounds(int window, Dimension dimension, Metric metric)
    {
        var (ring, now, inWindow) = Run(LargeWorkload, window);

        var result = WindowQuery.Top(ring, now, (Window)window, dimension, metric, limit: 10, capacity: 32);

        Assert.Equal(ExpectedTotals(inWindow), result.Totals);
        // Addresses overflow the 32 keys in every window, so this really exercises the lossy path.
        if (dimension is Dimension.SourceAddress or Dimension.DestinationAddress or Dimension.AddressPair)
            Assert.False(result.Exact);
        var truth = BruteForce(inWindow, dimension, metric).ToDictionary(p => p.Key, p => p.Value);
        Assert.InRange(result.Items.Count, Math.Min(10, truth.Count), 10);
        foreach (var item in result.Items)
        {
            var value = truth.GetValueOrDefault(item.Key);
            Assert.InRange(value, item.LowerBound, item.Value);
            Assert.InRange(item.ErrorBound, 0, result.MaxError);
        }
        // Nobody left out of the list can be heavier than both the last listed value and MaxError.
        var ceiling = Math.Max(result.MaxError, result.Items.Count == 0 ? 0 : result.Items[^1].Value);
        var listed = result.Items.Select(i => i.Key).ToHashSet();
        Assert.All(truth.Where(p => !listed.Contains(p.Key)), p => Assert.True(p.Value <= ceiling,
            $"{p.Key.Format(dimension)} has {p.Value} > {ceiling} but is not listed."));
    }

    [Theory]
    [MemberData(nameof(WindowsDimensionsMetrics))]
    public void Top_SameAnswerAsMergingStandaloneCopiesOfEachMinute(int window, Dimension dimension, Metric metric)
    {
        // The query reads each board's summary in place; the reference copies every minute's summary out
        // (ContributorBoard.Get) and merges the copies with SpaceSaving.Merge, as the query did before.
        foreach (var workload in new[] { SmallWorkload, LargeWorkload })
        {
            var (ring, now, _) = Run(workload, window);
            var boards = ring.InWindow(now, window).Select(b => b.Bucket).ToList();
            foreach (var (limit, capacity) in new[] { (10, 32), (10, 16), (1_000, 256), (5, 2_048) })
            {
                var parts = boards.Select(b => b.Get(dimension, metric)).OfType<SpaceSaving<ContributorKey>>().Where(p => p.Count > 0).ToList();
                var merged = parts.Count == 1 && parts[0].Capacity <= capacity ? parts[0] : SpaceSaving<ContributorKey>.Merge(parts, capacity);
                var expected = merged.Top(limit);

                var result = WindowQuery.Top(boards, dimension, metric, limit, capacity);

                var because = $"{window} m, limit {limit}, capacity {capacity}";
                Assert.True(expected.Count == result.Items.Count, because);
                for (var i = 0; i < expected.Count; i++)
                {
                    Assert.True(expected[i].Key == result.Items[i].Key, $"{because}: key #{i}");
                    Assert.True(expected[i].Count == result.Items[i].Value, $"{because}: value #{i}");
                    Assert.True(expected[i].Error == result.Items[i].ErrorBound, $"{because}: bound #{i}");
                }
                Assert.True(merged.IsExact == result.Exact, because);
                Assert.True((merged.IsExact ? 0 : merged.MinCount) == result.MaxError, because);
            }
        }
    }

    [Fact]
    public void Top_NoBuckets_EmptyExactAnswer()
    {
        var result = WindowQuery.Top([], Dimension.SourceAddress, Metric.Bytes, 10, 64);

        Assert.Empty(result.Items);
        Assert.True(result.Exact);
        Assert.Equal(default, result.Totals);
        Assert.Equal(0, result.RejectRate);
    }

    // Built once per class: the queries only read the ring (tests of one class run sequentially).
    private static readonly Lazy<(RollingMinutes<ContributorBoard>, long, List<TestFlow>)> SmallWorkload =
        new(() => Ingest(seed: 1, sources: 20, destinations: 10, capacity: 256));

    private static readonly Lazy<(RollingMinutes<ContributorBoard>, long, List<TestFlow>)> LargeWorkload =
        new(() => Ingest(seed: 2, sources: 3_000, destinations: 500, capacity: 32));

    private static (RollingMinutes<ContributorBoard> Ring, long Now, List<TestFlow> InWindow) Run(
        Lazy<(RollingMinutes<ContributorBoard>, long, List<TestFlow>)> workload, int window)
    {
        var (ring, now, applied) = workload.Value;
        // Brute force: the records whose minute is live and inside the window, future minutes included.
        var inWindow = applied.Where(f => f.Minute >= now - window + 1 && f.Minute > now - 60 && f.Minute <= now + 2).ToList();
        return (ring, now, inWindow);
    }

    private static (RollingMinutes<ContributorBoard>, long, List<TestFlow>) Ingest(int seed, int sources, int destinations, int capacity)
    {
        var ring = new RollingMinutes<ContributorBoard>(60, 2, _ => new ContributorBoard(TestFlow.Dimensions, capacity), b => b.Reset());
        var applied = new List<TestFlow>();
        var now = Start;
        foreach (var (at, flow) in FlowWorkload.Generate(seed, 60_000, Start, sources, destinations, ports: 30))
        {
            now = at;
            if (ring.TryGetBucket(flow.Minute, now, out var board) != BucketResult.Applied) continue;
            flow.ApplyTo(board!);
            applied.Add(flow);
        }
        return (ring, now, applied);
    }

    private static FlowTotals ExpectedTotals(List<TestFlow> flows) => new()
    {
        Flows = flows.Count(f => f.IsTraffic),
        Packets = flows.Sum(f => f.Packets),
        Bytes = flows.Sum(f => f.Bytes),
        AcceptedFlows = flows.Count(f => f.Action == FlowLogs.FlowAction.Accept),
        AcceptedPackets = flows.Where(f => f.Action == FlowLogs.FlowAction.Accept).Sum(f => f.Packets),
        AcceptedBytes = flows.Where(f => f.Action == FlowLogs.FlowAction.Accept).Sum(f => f.Bytes),
        RejectedFlows = flows.Count(f => f.Action == FlowLogs.FlowAction.Reject),
        RejectedPackets = flows.Where(f => f.Action == FlowLogs.FlowAction.Reject).Sum(f => f.Packets),
        RejectedBytes = flows.Where(f => f.Action == FlowLogs.FlowAction.Reject).Sum(f => f.Bytes),
        NoDataRecords = flows.Count(f => f.Status == FlowLogs.LogStatus.NoData),
        SkipDataRecords = flows.Count(f => f.Status == FlowLogs.LogStatus.SkipData),
    };

    /// <summary>Exact ranking: value descending, then key order; zero values are not contributors.</summary>
    private static List<KeyValuePair<ContributorKey, long>> BruteForce(List<TestFlow> flows, Dimension dimension, Metric metric) =>
        [.. flows.Where(f => f.IsTraffic)
            .GroupBy(f => f.KeyOf(dimension))
            .Select(g => KeyValuePair.Create(g.Key, g.Sum(f => f.ValueOf(metric))))
            .Where(p => p.Value > 0)
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key)];
}
