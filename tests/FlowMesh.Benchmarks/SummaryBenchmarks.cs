using BenchmarkDotNet.Attributes;
using FlowMesh.Aggregation;
using FlowMesh.FlowLogs;

namespace FlowMesh.Benchmarks;

/// <summary>
/// The aggregation hot paths: one Space-Saving add per record and metric, the per-query merge of a
/// window's minute summaries, and a board update for one record in one dimension. The add benchmarks
/// use OperationsPerInvoke, so their time and allocation are per add.
/// </summary>
[MemoryDiagnoser]
public class SummaryBenchmarks
{
    private const int Operations = 100_000;
    private const int Capacity = 256;

    private ContributorKey[] _zipfKeys = [];
    private SpaceSaving<ContributorKey> _summary = null!;
    private SpaceSaving<ContributorKey>[] _minutes = [];
    private SpaceSaving<ContributorKey>[] _quarter = [];
    private ContributorBoard _board = null!;
    private ContributorBoard[] _minuteBoards = [];

    [GlobalSetup]
    public void Setup()
    {
        // Zipf (s = 1.1) over 10,000 source addresses, as in the accuracy tests.
        var random = new Random(42);
        var cdf = new double[10_000];
        var sum = 0.0;
        for (var r = 0; r < cdf.Length; r++) cdf[r] = sum += Math.Pow(r + 1, -1.1);
        _zipfKeys = new ContributorKey[Operations];
        for (var i = 0; i < Operations; i++)
        {
            var rank = Array.BinarySearch(cdf, random.NextDouble() * sum);
            _zipfKeys[i] = ContributorKey.ForAddress(FlowAddress.FromIPv4(0x0A00_0000u + (uint)(rank < 0 ? ~rank : rank)));
        }

        _summary = new SpaceSaving<ContributorKey>(Capacity);
        foreach (var key in _zipfKeys) _summary.Add(key, 1);

        // Sixty full minute summaries, each over its own slice of the stream.
        _minutes = new SpaceSaving<ContributorKey>[60];
        for (var m = 0; m < _minutes.Length; m++)
        {
            _minutes[m] = new SpaceSaving<ContributorKey>(Capacity);
            for (var i = 0; i < 5_000; i++) _minutes[m].Add(_zipfKeys[((m * 5_000) + i) % Operations], random.Next(40, 1_500));
        }

        _quarter = _minutes[..15];

        // The same sixty minutes as boards (bytes of each record's source address), as a leaderboard holds them.
        _minuteBoards = new ContributorBoard[60];
        for (var m = 0; m < _minuteBoards.Length; m++)
        {
            _minuteBoards[m] = new ContributorBoard([Dimension.SourceAddress], Capacity);
            for (var i = 0; i < 5_000; i++)
            {
                var key = _zipfKeys[((m * 5_000) + i) % Operations];
                _minuteBoards[m].Add(Dimension.SourceAddress, key, random.Next(40, 1_500), 1, 1, 0);
            }
        }
        _board = new ContributorBoard([Dimension.SourceAddress, Dimension.DestinationPort], Capacity);
    }

    /// <summary>Adds of Zipf keys into a warm, full summary (mostly present keys, some replacements).</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long SpaceSavingAddZipf()
    {
        var summary = _summary;
        foreach (var key in _zipfKeys) summary.Add(key, 1);
        return summary.MinCount;
    }

    [Benchmark]
    public long Merge15Minutes() => SpaceSaving<ContributorKey>.Merge(_quarter, Capacity).MinCount;

    [Benchmark]
    public long Merge60Minutes() => SpaceSaving<ContributorKey>.Merge(_minutes, Capacity).MinCount;

    /// <summary>A 60-minute top 10 as a leaderboard answers it: merged in place from sixty minute boards.</summary>
    [Benchmark]
    public long Top60MinutesFromBoards() => WindowQuery.Top(_minuteBoards, Dimension.SourceAddress, Metric.Bytes, 10, Capacity).MaxError;

    /// <summary>The same answer the way it was computed before: a standalone copy of every minute, then merged.</summary>
    [Benchmark]
    public long Top60MinutesFromCopies()
    {
        var parts = new List<SpaceSaving<ContributorKey>>(_minuteBoards.Length);
        foreach (var board in _minuteBoards) parts.Add(board.Get(Dimension.SourceAddress, Metric.Bytes)!);
        return SpaceSaving<ContributorKey>.Merge(parts, Capacity).Top(10)[^1].Count;
    }

    /// <summary>One record into one dimension: four metric summaries (bytes, packets, flows, rejected).</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long ContributorBoardAdd()
    {
        var board = _board;
        var keys = _zipfKeys;
        for (var i = 0; i < keys.Length; i++)
            board.Add(Dimension.SourceAddress, keys[i], 1_200, 3, 1, i & 1);
        return board.Get(Dimension.SourceAddress, Metric.Bytes)!.TotalWeight;
    }
}
