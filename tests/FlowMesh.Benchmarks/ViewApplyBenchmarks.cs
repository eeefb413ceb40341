using BenchmarkDotNet.Attributes;
using FlowMesh.Aggregation.Batching;
using FlowMesh.Grains.Views;

namespace FlowMesh.Benchmarks;

/// <summary>
/// The grain-side work of one 7,000-record flush without Orleans: the same partition as
/// <see cref="GrainApplyBenchmarks"/> applied straight to each key's views, per grain type, plus
/// the partition itself. Subtracting these from the silo benchmark leaves the grain-call cost.
/// </summary>
[MemoryDiagnoser]
public class ViewApplyBenchmarks
{
    private const int Records = GrainApplyBenchmarks.RecordsPerBatch;
    private static readonly FlowMesh.Grains.AggregationOptions Defaults = new(); // the capacities a server runs with

    private FlowBatchCombiner _combiner = null!;
    private readonly FlowBatchCombiner _reused = new();
    private FlowMesh.FlowLogs.FlowRecord[] _records = [];
    private long _now;
    private BatchPartition _partition = null!;
    private readonly PartitionBuffers _buffers = new();
    private (ViewSet Views, ReadOnlyMemory<FlowRow> Rows)[] _leaderboards = [];
    private (ViewSet Views, LocalAddressTracker Local, ReadOnlyMemory<FlowRow> Rows)[] _interfaces = [];
    private (ViewSet Source, ViewSet Destination, FlowMesh.FlowLogs.FlowAddress Address, ReadOnlyMemory<FlowRow> Rows)[] _addresses = [];
    private (ConnectionTable Table, ReadOnlyMemory<FlowRow> Rows)[] _connections = [];

    [GlobalSetup]
    public void Setup()
    {
        var generator = new FlowMesh.Traffic.TrafficGenerator(FlowMesh.Traffic.SyntheticEstate.Create(7, 1), 7);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        _now = now;
        _records = [.. generator.Records(Records, () => now)];
        _combiner = new FlowBatchCombiner(now);
        foreach (var r in _records) _combiner.OnRecord(in r);
        if (Combine() != _combiner.RowCount) throw new InvalidOperationException("a reused combiner combined differently");
        _partition = _combiner.Partition();
        _leaderboards = [.. _partition.Scopes.Values.Select(rows => (new ViewSet(LeaderboardProjector.Dimensions, Defaults.LeaderboardCapacity), rows))];
        _interfaces = [.. _partition.Interfaces.Values.Select(rows => (new ViewSet(InterfaceProjector.Dimensions, Defaults.InterfaceCapacity), new LocalAddressTracker(), rows))];
        _addresses = [.. _partition.Addresses.Select(p => (
            new ViewSet(AddressProjector.Dimensions, Defaults.AddressCapacity), new ViewSet(AddressProjector.Dimensions, Defaults.AddressCapacity), p.Key, p.Value))];
        _connections = [.. _partition.Addresses.Values.Select(rows => (new ConnectionTable(64), rows))];
        Console.WriteLine($"// rows {_combiner.RowCount}, calls {_partition.GrainCalls} (interfaces {_partition.Interfaces.Count}, addresses {_partition.Addresses.Count}, scopes {_partition.Scopes.Count}), row deliveries {_partition.Interfaces.Values.Sum(l => l.Length) + _partition.Addresses.Values.Sum(l => l.Length) + _partition.Scopes.Values.Sum(l => l.Length)}");
        Leaderboards();
        Interfaces();
        Addresses();
        AddressConnections();
    }

    /// <summary>
    /// Batch combining: the parsed records of a delivery summed per row key (interface, addresses,
    /// kept ports, protocol, action, minute …) and interface metadata, in a combiner reused as the
    /// group commit reuses its combiners. Returns the rows it produced.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public int Combine()
    {
        _reused.Reset(_now);
        foreach (ref readonly var r in _records.AsSpan()) _reused.OnRecord(in r);
        return _reused.RowCount;
    }

    /// <summary>As the group commit does it: into buffers reused from the previous flush.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public BatchPartition Partition() => _combiner.Partition(_buffers);

    [Benchmark(OperationsPerInvoke = Records)]
    public long Leaderboards()
    {
        long applied = 0;
        var now = DateTimeOffset.UtcNow;
        foreach (var (views, rows) in _leaderboards)
        {
            var projector = new LeaderboardProjector();
            applied += views.Apply(rows.Span, now, ref projector);
        }
        return applied;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long Interfaces()
    {
        long applied = 0;
        var now = DateTimeOffset.UtcNow;
        foreach (var (views, local, rows) in _interfaces)
        {
            foreach (var row in rows.Span) local.Observe(in row);
            var projector = new InterfaceProjector(local);
            applied += views.Apply(rows.Span, now, ref projector);
        }
        return applied;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long Addresses()
    {
        long applied = 0;
        var now = DateTimeOffset.UtcNow;
        foreach (var (source, destination, address, rows) in _addresses)
        {
            var s = new AddressProjector(address, asSource: true);
            var d = new AddressProjector(address, asSource: false);
            applied += source.Apply(rows.Span, now, ref s) + destination.Apply(rows.Span, now, ref d);
        }
        return applied;
    }

    /// <summary>The address grains' connection records for diagnosis (64 per address), fed the same rows as <see cref="Addresses"/>.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public long AddressConnections()
    {
        long kept = 0;
        var nowMinute = FlowMesh.Aggregation.EventMinute.FromTime(DateTimeOffset.UtcNow);
        foreach (var (table, rows) in _connections)
        {
            foreach (var row in rows.Span) table.Add(in row, nowMinute);
            kept += table.Count;
        }
        return kept;
    }
}
