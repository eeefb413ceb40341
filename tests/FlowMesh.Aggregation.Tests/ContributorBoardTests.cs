using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation.Tests;

public sealed class ContributorBoardTests
{
    private static readonly ContributorKey Ssh = ContributorKey.ForNumber(22);
    private static readonly ContributorKey Rdp = ContributorKey.ForNumber(3389);

    [Fact]
    public void Add_ZeroWeights_LeaveThatMetricsSummaryUntouched()
    {
        var board = new ContributorBoard([Dimension.DestinationPort], 8);

        board.Add(Dimension.DestinationPort, Ssh, bytes: 100, packets: 2, flows: 1, rejectedFlows: 0);

        Assert.Null(board.Get(Dimension.DestinationPort, Metric.RejectedFlows));
        Assert.Equal(new Estimate<ContributorKey>(Ssh, 100, 0), board.Get(Dimension.DestinationPort, Metric.Bytes)!.Top(1)[0]);
        Assert.Equal(2, board.Get(Dimension.DestinationPort, Metric.Packets)!.TotalWeight);
        Assert.Equal(1, board.Get(Dimension.DestinationPort, Metric.Flows)!.TotalWeight);

        board.Add(Dimension.DestinationPort, Rdp, bytes: 0, packets: 0, flows: 1, rejectedFlows: 1);

        var rejected = board.Get(Dimension.DestinationPort, Metric.RejectedFlows)!;
        Assert.Equal([new Estimate<ContributorKey>(Rdp, 1, 0)], rejected.Top(10));
        Assert.False(board.Get(Dimension.DestinationPort, Metric.Bytes)!.TryGet(Rdp, out _));
    }

    [Fact]
    public void Add_RandomFlows_EachMetricSummaryMatchesBruteForce()
    {
        var random = new Random(5);
        var board = new ContributorBoard([Dimension.DestinationPort, Dimension.Protocol], 64);
        var exact = new Dictionary<(Metric, int), long>();
        for (var i = 0; i < 10_000; i++)
        {
            var port = random.Next(1, 50);
            long bytes = random.Next(0, 3) == 0 ? 0 : random.Next(1, 10_000), packets = random.Next(0, 20), rejected = random.Next(0, 2);
            board.Add(Dimension.DestinationPort, ContributorKey.ForNumber(port), bytes, packets, 1, rejected);
            foreach (var (metric, value) in new[] { (Metric.Bytes, bytes), (Metric.Packets, packets), (Metric.Flows, 1L), (Metric.RejectedFlows, rejected) })
                if (value > 0) exact[(metric, port)] = exact.GetValueOrDefault((metric, port)) + value;
        }

        foreach (var metric in Enum.GetValues<Metric>())
        {
            var summary = board.Get(Dimension.DestinationPort, metric)!;
            var expected = exact.Where(p => p.Key.Item1 == metric).Select(p => (p.Key.Item2, p.Value)).OrderBy(p => p.Item1);
            Assert.True(summary.IsExact);
            Assert.Equal(expected, summary.ToArray().Select(e => (e.Key.Number, e.Count)).OrderBy(p => p.Number));
        }
        Assert.Null(board.Get(Dimension.Protocol, Metric.Bytes));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Add_RunsOfOneKey_SameSummaryAsOneAddPerRun(int seed)
    {
        // Runs of 1-4 adds of one key (the board sums them) over more keys than the capacity, so
        // runs straddle evictions and the filter; the twin summary gets each run's sums as one add,
        // and both must keep every bound against the exact weights.
        var random = new Random(seed);
        var board = new ContributorBoard([Dimension.DestinationPort], 16);
        var twin = new MultiMetricSpaceSaving<ContributorKey>(16);
        var exact = new Dictionary<ContributorKey, long>[4];
        for (var m = 0; m < exact.Length; m++) exact[m] = [];
        ContributorKey? held = null; // the key whose adds the board holds back, summed in `sums`
        long[] sums = [0, 0, 0, 0];
        for (var run = 0; run < 3_000; run++)
        {
            var key = ContributorKey.ForNumber(random.Next(200));
            if (held != key) HandOver();
            held = key;
            for (var n = random.Next(1, 5); n > 0; n--)
            {
                var packets = random.NextInt64(0, 20);
                long bytes = packets * random.Next(40, 1_500), flows = random.Next(2), rejected = random.Next(4) == 0 ? flows : 0;
                board.Add(Dimension.DestinationPort, key, bytes, packets, flows, rejected);
                long[] weights = [bytes, packets, flows, rejected];
                for (var m = 0; m < sums.Length; m++)
                {
                    sums[m] += weights[m];
                    if (weights[m] != 0) exact[m][key] = exact[m].GetValueOrDefault(key) + weights[m];
                }
            }
            if (run % 500 == 0) AssertSame(); // a read in the middle flushes the held-back run
        }
        AssertSame();
        var summary = board.Summary(Dimension.DestinationPort)!;
        foreach (var metric in Enum.GetValues<Metric>())
            SummaryAssert.HoldsBounds(summary.ToSpaceSaving(metric)!, exact[(int)metric - 1]);

        // The twin gets each maximal run of one key (consecutive runs of the same key included) as one add.
        void HandOver()
        {
            if (held is { } k) twin.Add(k, sums[0], sums[1], sums[2], sums[3]);
            held = null;
            Array.Clear(sums);
        }

        void AssertSame()
        {
            HandOver();
            var summary = board.Summary(Dimension.DestinationPort);
            foreach (var metric in Enum.GetValues<Metric>())
            {
                if (summary is null)
                {
                    Assert.Equal(0, twin.TotalWeight(metric)); // only zero weights so far: no summary yet
                    continue;
                }
                Assert.Equal(twin.ToArray(metric).OrderBy(e => e.Key), summary.ToArray(metric).OrderBy(e => e.Key));
                Assert.Equal(twin.MinCount(metric), summary.MinCount(metric));
                Assert.Equal(twin.TotalWeight(metric), summary.TotalWeight(metric));
                Assert.Equal(twin.IsExact(metric), summary.IsExact(metric));
            }
        }
    }

    private static readonly Dimension[] BatchDimensions = [Dimension.SourceAddress, Dimension.DestinationPort];

    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 400)]
    public void Batch_EachKeyReachesItsSummaryOnceWithItsSums_InFirstSeenOrder(int seed, int keys)
    {
        // Batches of interleaved adds over two dimensions and more keys than the capacity. The twins
        // get, per batch, one add per key with that batch's sums, in the order the keys first came.
        var random = new Random(seed);
        var board = new ContributorBoard(BatchDimensions, 16);
        var twins = BatchDimensions.Select(_ => new MultiMetricSpaceSaving<ContributorKey>(16)).ToArray();
        var exact = NewExact();
        for (var batch = 0; batch < 12; batch++)
        {
            Assert.True(board.BeginBatch());
            Assert.False(board.BeginBatch()); // already open
            var order = BatchDimensions.Select(_ => new List<ContributorKey>()).ToArray();
            var sums = BatchDimensions.Select(_ => new Dictionary<ContributorKey, long[]>()).ToArray();
            for (var i = 0; i < 600; i++)
            {
                var (d, key, weights) = RandomAdd(random, keys);
                board.Add(BatchDimensions[d], key, weights[0], weights[1], weights[2], weights[3]);
                Record(exact, d, key, weights);
                if (weights.All(w => w == 0)) continue;
                if (!sums[d].TryGetValue(key, out var sum))
                {
                    sums[d][key] = sum = new long[4];
                    order[d].Add(key);
                }
                for (var m = 0; m < 4; m++) sum[m] += weights[m];
            }
            board.EndBatch();
            board.EndBatch(); // a second end is a no-op

            for (var d = 0; d < BatchDimensions.Length; d++)
            {
                foreach (var key in order[d])
                {
                    var sum = sums[d][key];
                    twins[d].Add(key, sum[0], sum[1], sum[2], sum[3]);
                }
                var summary = board.Summary(BatchDimensions[d])!;
                foreach (var metric in Enum.GetValues<Metric>())
                {
                    Assert.Equal(twins[d].ToArray(metric).OrderBy(e => e.Key), summary.ToArray(metric).OrderBy(e => e.Key));
                    Assert.Equal(twins[d].MinCount(metric), summary.MinCount(metric));
                }
            }
        }
        AssertTotalsAndBounds(board, exact);
    }

    [Fact]
    public void Batch_ReadInsideAndMoreKeysThanABatchHolds_TotalsExactAndBoundsHold()
    {
        // 20,000 candidate keys per dimension: a batch of 30,000 adds outgrows the batch table and is
        // handed over in parts; a read inside a batch sees every add so far.
        var random = new Random(3);
        var board = new ContributorBoard(BatchDimensions, 16);
        var exact = NewExact();
        for (var batch = 0; batch < 4; batch++)
        {
            board.BeginBatch();
            for (var i = 0; i < 30_000; i++)
            {
                var (d, key, weights) = RandomAdd(random, 20_000);
                board.Add(BatchDimensions[d], key, weights[0], weights[1], weights[2], weights[3]);
                Record(exact, d, key, weights);
                if (i == 29_000)
                {
                    for (var e = 0; e < BatchDimensions.Length; e++)
                        Assert.Equal(exact[e][0].Values.Sum(), board.Summary(BatchDimensions[e])!.TotalWeight(Metric.Bytes));
                }
            }
            board.EndBatch();
        }
        AssertTotalsAndBounds(board, exact);
    }

    [Fact]
    public void Batch_DimensionWithOneKey_CreatesNoSummaryUntilRead_AndKeepsItsSums()
    {
        // An address's protocol in one minute is usually one key: its summary (key table and four
        // heaps) is not worth allocating until a second key or a query comes.
        var board = new ContributorBoard([Dimension.Protocol, Dimension.PeerAddress], 32);
        var tcp = ContributorKey.ForNumber(6);
        long flows = 0, bytes = 0;
        for (var batch = 0; batch < 3; batch++)
        {
            Assert.True(board.BeginBatch());
            for (var i = 0; i < 10; i++)
            {
                var peer = ContributorKey.ForAddress(FlowAddress.FromIPv4(0x0A00_0000u + (uint)((batch * 10) + i)));
                board.Add(Dimension.Protocol, tcp, 100 + i, 1, 1, 0);
                board.Add(Dimension.PeerAddress, peer, 100 + i, 1, 1, 0);
                flows++;
                bytes += 100 + i;
            }
            board.EndBatch();
        }

        var held = board.EstimatedBytes;
        var protocols = board.Summary(Dimension.Protocol)!; // the read hands the held-back run over
        Assert.Equal(protocols.EstimatedBytes, board.EstimatedBytes - held);
        Assert.Equal(1, protocols.Keys);
        Assert.True(protocols.TryGet(Metric.Flows, tcp, out var estimate));
        Assert.Equal(new Estimate<ContributorKey>(tcp, flows, 0), estimate);
        Assert.Equal(bytes, protocols.TotalWeight(Metric.Bytes));
        Assert.Equal(30, board.Summary(Dimension.PeerAddress)!.Keys);

        // A second key in a later batch creates the summary and hands the run over first.
        var udp = ContributorKey.ForNumber(17);
        var other = new ContributorBoard([Dimension.Protocol], 32);
        other.BeginBatch();
        other.Add(Dimension.Protocol, tcp, 5, 1, 1, 1);
        other.EndBatch();
        other.BeginBatch();
        other.Add(Dimension.Protocol, udp, 7, 1, 1, 0);
        other.Add(Dimension.Protocol, tcp, 5, 1, 1, 0);
        other.EndBatch();
        var summary = other.Summary(Dimension.Protocol)!;
        Assert.Equal(new Estimate<ContributorKey>(tcp, 10, 0), summary.ToSpaceSaving(Metric.Bytes)!.Top(2)[0]);
        Assert.Equal(new Estimate<ContributorKey>(udp, 7, 0), summary.ToSpaceSaving(Metric.Bytes)!.Top(2)[1]);
        Assert.Equal(1, summary.TotalWeight(Metric.RejectedFlows));
    }

    private static Dictionary<ContributorKey, long>[][] NewExact() =>
        BatchDimensions.Select(_ => Enumerable.Range(0, 4).Select(_ => new Dictionary<ContributorKey, long>()).ToArray()).ToArray();

    private static (int Dimension, ContributorKey Key, long[] Weights) RandomAdd(Random random, int keys)
    {
        var d = random.Next(2);
        var key = d == 0
            ? ContributorKey.ForAddress(FlowAddress.FromIPv4(0x0A00_0000u + (uint)(random.Next(keys) * random.Next(1, 3))))
            : ContributorKey.ForNumber(random.Next(keys));
        var packets = random.NextInt64(0, 20);
        long bytes = packets * random.Next(40, 1_500), flows = random.Next(2), rejected = random.Next(4) == 0 ? flows : 0;
        return (d, key, [bytes, packets, flows, rejected]);
    }

    private static void Record(Dictionary<ContributorKey, long>[][] exact, int d, ContributorKey key, long[] weights)
    {
        for (var m = 0; m < 4; m++)
            if (weights[m] != 0) exact[d][m][key] = exact[d][m].GetValueOrDefault(key) + weights[m];
    }

    private static void AssertTotalsAndBounds(ContributorBoard board, Dictionary<ContributorKey, long>[][] exact)
    {
        for (var d = 0; d < BatchDimensions.Length; d++)
        {
            var summary = board.Summary(BatchDimensions[d])!;
            foreach (var metric in Enum.GetValues<Metric>())
            {
                var weights = exact[d][(int)metric - 1];
                Assert.Equal(weights.Values.Sum(), summary.TotalWeight(metric));
                SummaryAssert.HoldsBounds(summary.ToSpaceSaving(metric)!, weights);
            }
        }
    }

    [Fact]
    public void Add_UntrackedDimensionOrNegativeWeight_Throws()
    {
        var board = new ContributorBoard([Dimension.SourceAddress], 8);

        Assert.Throws<ArgumentOutOfRangeException>(() => board.Add(Dimension.DestinationPort, Ssh, 1, 1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => board.Add(Dimension.SourceAddress, Ssh, -1, 1, 1, 0));
        Assert.Null(board.Get(Dimension.DestinationPort, Metric.Bytes));
        Assert.False(board.Tracks(Dimension.DestinationPort));
        Assert.True(board.Tracks(Dimension.SourceAddress));
    }

    [Fact]
    public void Constructor_DuplicateDimension_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ContributorBoard([Dimension.Protocol, Dimension.Protocol], 8));
    }

    [Fact]
    public void Reset_AfterUse_EmptiesTotalsAndSummaries()
    {
        var board = new ContributorBoard([Dimension.DestinationPort], 8);
        board.Totals.AddFlow(FlowAction.Reject, 3, 120);
        board.Add(Dimension.DestinationPort, Ssh, 120, 3, 1, 1);

        board.Reset();

        Assert.Equal(default, board.Totals);
        Assert.All(Enum.GetValues<Metric>(), m => Assert.Equal(0, board.Get(Dimension.DestinationPort, m)?.Count ?? 0));
        board.Add(Dimension.DestinationPort, Rdp, 7, 1, 1, 0);
        Assert.Equal([new Estimate<ContributorKey>(Rdp, 7, 0)], board.Get(Dimension.DestinationPort, Metric.Bytes)!.Top(5));
    }

    [Fact]
    public void Totals_UpdatedInPlaceThroughRef_AndAddTotalsSums()
    {
        var board = new ContributorBoard([Dimension.Protocol], 8);

        board.Totals.AddFlow(FlowAction.Accept, 10, 1_000);
        board.AddTotals(new FlowTotals { Flows = 2, RejectedFlows = 1, Bytes = 5 });

        Assert.Equal(new FlowTotals { Flows = 3, Packets = 10, Bytes = 1_005, AcceptedFlows = 1, AcceptedPackets = 10, AcceptedBytes = 1_000, RejectedFlows = 1 }, board.Totals);
    }

    [Fact]
    public void EstimatedBytes_GrowsWithDistinctKeys()
    {
        var board = new ContributorBoard([Dimension.SourceAddress], 256);
        var empty = board.EstimatedBytes;
        for (var i = 0; i < 256; i++)
            board.Add(Dimension.SourceAddress, ContributorKey.ForAddress(FlowAddress.FromIPv4((uint)i)), 100, 1, 1, 1);

        // The four metrics share one key table: 256 keys held by all four are stored once.
        var perKey = board.Summary(Dimension.SourceAddress)!.BytesPerKey;
        Assert.InRange(board.EstimatedBytes - empty, 256L * perKey, 2L * 256 * perKey);
    }
}
