using BenchmarkDotNet.Attributes;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;
using FlowMesh.Grains.Views;

namespace FlowMesh.Benchmarks;

/// <summary>
/// The views' work over a stream rather than one repeated flush: <see cref="Flushes"/> different
/// 7,000-record flushes of one minute, applied in order to views that start empty, so each
/// summary fills up and then sees a tail of new keys, as a minute bucket of a busy server does.
/// (<see cref="ViewApplyBenchmarks"/> re-applies one flush, whose keys are soon all held.)
/// </summary>
[MemoryDiagnoser]
public class ViewStreamBenchmarks
{
    private const int RecordsPerFlush = GrainApplyBenchmarks.RecordsPerBatch;
    private const int Flushes = 150;
    private const int Records = RecordsPerFlush * Flushes;
    private static readonly FlowMesh.Grains.AggregationOptions Defaults = new();

    private BatchPartition[] _partitions = [];
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new FlowMesh.Traffic.TrafficGenerator(FlowMesh.Traffic.SyntheticEstate.Create(7, 1), 7);
        _now = DateTimeOffset.UtcNow;
        var seconds = _now.ToUnixTimeSeconds();
        using var records = generator.Records(Records, () => seconds).GetEnumerator();
        _partitions = new BatchPartition[Flushes];
        for (var f = 0; f < Flushes; f++)
        {
            var combiner = new FlowBatchCombiner(seconds);
            for (var r = 0; r < RecordsPerFlush && records.MoveNext(); r++)
            {
                var record = records.Current;
                combiner.OnRecord(in record);
            }
            _partitions[f] = combiner.Partition();
        }
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long Leaderboards()
    {
        long applied = 0;
        var views = new Dictionary<string, ViewSet>();
        foreach (var partition in _partitions)
        {
            foreach (var (scope, rows) in partition.Scopes)
            {
                if (!views.TryGetValue(scope, out var view))
                    views[scope] = view = new ViewSet(LeaderboardProjector.Dimensions, Defaults.LeaderboardCapacity);
                var projector = new LeaderboardProjector();
                applied += view.Apply(rows.Span, _now, ref projector);
            }
        }
        return applied;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long Interfaces()
    {
        long applied = 0;
        var views = new Dictionary<string, (ViewSet Views, LocalAddressTracker Local)>();
        foreach (var partition in _partitions)
        {
            foreach (var (eni, rows) in partition.Interfaces)
            {
                if (!views.TryGetValue(eni, out var view))
                    views[eni] = view = (new ViewSet(InterfaceProjector.Dimensions, Defaults.InterfaceCapacity), new LocalAddressTracker());
                foreach (var row in rows.Span) view.Local.Observe(in row);
                var projector = new InterfaceProjector(view.Local);
                applied += view.Views.Apply(rows.Span, _now, ref projector);
            }
        }
        return applied;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long Addresses()
    {
        long applied = 0;
        var views = new Dictionary<FlowAddress, (ViewSet Source, ViewSet Destination)>();
        foreach (var partition in _partitions)
        {
            foreach (var (address, rows) in partition.Addresses)
            {
                if (!views.TryGetValue(address, out var view))
                {
                    views[address] = view = (new ViewSet(AddressProjector.Dimensions, Defaults.AddressCapacity),
                        new ViewSet(AddressProjector.Dimensions, Defaults.AddressCapacity));
                }
                var s = new AddressProjector(address, asSource: true);
                var d = new AddressProjector(address, asSource: false);
                applied += view.Source.Apply(rows.Span, _now, ref s) + view.Destination.Apply(rows.Span, _now, ref d);
            }
        }
        return applied;
    }
}
