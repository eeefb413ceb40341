using BenchmarkDotNet.Attributes;
using FlowMesh.Aggregation.Batching;

namespace FlowMesh.Benchmarks;

/// <summary>
/// Applying one combined batch of 7,000 realistic records to the interface, address and
/// leaderboard grains of an in-process silo: the grain side of one group-commit flush.
/// Each invocation uses a new flush id, so nothing is skipped as a duplicate.
/// </summary>
[MemoryDiagnoser]
public class GrainApplyBenchmarks
{
    public const int RecordsPerBatch = 7_000;

    private InProcessSilo _silo = null!;
    private BatchPartition _partition = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _silo = await InProcessSilo.StartAsync();
        _partition = InProcessSilo.RealisticFlush(RecordsPerBatch, seed: 7);
        await _silo.ApplyAsync(_partition, Guid.NewGuid());
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _silo.DisposeAsync();

    /// <summary>Grain calls per batch, for "calls per record".</summary>
    public int GrainCalls => _partition.GrainCalls;

    [Benchmark(OperationsPerInvoke = RecordsPerBatch, Description = "apply 7,000-record batch (per record)")]
    public Task ApplyBatch() => _silo.ApplyAsync(_partition, Guid.NewGuid());
}
