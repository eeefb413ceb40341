using FlowMesh.Aggregation.Batching;
using FlowMesh.Grains;
using FlowMesh.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using FlowMesh.Testing;

namespace FlowMesh.Benchmarks;

/// <summary>A real Orleans silo in this process, and realistic flushes to apply to it.</summary>
internal sealed class InProcessSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private InProcessSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<InProcessSilo> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.UseOrleans(silo => silo.UseLocalhostClustering(TestPorts.Next(), TestPorts.Next()));
        var host = builder.Build();
        await host.StartAsync();
        return new InProcessSilo(host);
    }

    /// <summary>Realistic records (the demo's generator) combined and split per grain, as one group-commit flush.</summary>
    public static BatchPartition RealisticFlush(int records, int seed, int scale = 1)
    {
        var generator = new TrafficGenerator(SyntheticEstate.Create(seed, scale), seed);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var combiner = new FlowBatchCombiner(now);
        foreach (var r in generator.Records(records, () => now)) combiner.OnRecord(in r);
        return combiner.Partition();
    }

    /// <summary>Applies a flush the way the group commit does: one call per key, bounded concurrency.</summary>
    public async Task ApplyAsync(BatchPartition partition, Guid flushId, int concurrency = 64)
    {
        var calls = new List<Func<Task>>(partition.GrainCalls);
        foreach (var (eni, rows) in partition.Interfaces)
        {
            var delta = new FlowDelta(flushId, rows, partition.Metadata.GetValueOrDefault(eni));
            calls.Add(() => Grains.GetGrain<IInterfaceGrain>(eni).ApplyAsync(delta));
        }
        foreach (var (address, rows) in partition.Addresses)
        {
            var delta = new FlowDelta(flushId, rows);
            calls.Add(() => Grains.GetGrain<IAddressGrain>(GrainKeys.Address(address)).ApplyAsync(delta));
        }
        foreach (var (scope, rows) in partition.Scopes)
        {
            var delta = new FlowDelta(flushId, rows);
            calls.Add(() => Grains.GetGrain<ILeaderboardGrain>(scope).ApplyAsync(delta));
        }
        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (call, _) => await call());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

}
