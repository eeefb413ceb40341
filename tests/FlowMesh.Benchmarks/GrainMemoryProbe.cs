using System.Globalization;
using FlowMesh.Aggregation.Batching;
using FlowMesh.Grains;
using FlowMesh.Traffic;

namespace FlowMesh.Benchmarks;

/// <summary>
/// Measures managed memory per active interface grain and per active address grain: applies
/// ten minutes of realistic traffic to one grain type at a time and divides the growth of the
/// collected heap by the number of grains activated. Run: <c>FlowMesh.Benchmarks --memory-per-grain</c>.
/// </summary>
internal static class GrainMemoryProbe
{
    public static async Task RunAsync()
    {
        await using var silo = await InProcessSilo.StartAsync();
        var flushes = TenMinutes(recordsPerMinute: 20_000, scale: 4);
        var interfaces = flushes.SelectMany(f => f.Interfaces.Keys).Distinct().Count();
        var addresses = flushes.SelectMany(f => f.Addresses.Keys).Distinct().Count();

        var before = Heap();
        foreach (var flush in flushes)
        {
            var id = Guid.NewGuid();
            await Task.WhenAll(flush.Interfaces.Select(p =>
                silo.Grains.GetGrain<IInterfaceGrain>(p.Key).ApplyAsync(new FlowDelta(id, p.Value, flush.Metadata[p.Key]))));
        }
        var afterInterfaces = Heap();
        foreach (var flush in flushes)
        {
            var id = Guid.NewGuid();
            await Task.WhenAll(flush.Addresses.Select(p =>
                silo.Grains.GetGrain<IAddressGrain>(GrainKeys.Address(p.Key)).ApplyAsync(new FlowDelta(id, p.Value))));
        }
        var afterAddresses = Heap();
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(ci, $"traffic: 10 minutes x 20,000 records, {interfaces} interfaces, {addresses} addresses"));
        Console.WriteLine(string.Create(ci, $"bytes per active interface grain: {(afterInterfaces - before) / interfaces:N0}"));
        Console.WriteLine(string.Create(ci, $"bytes per active address grain:   {(afterAddresses - afterInterfaces) / addresses:N0}"));
        FlushIds();
    }

    /// <summary>
    /// What a grain that sees traffic in every flush holds for duplicate detection after 30 minutes
    /// at 5 flushes/s (9,000 flushes), averaged over 200 such grains: every flush id kept for the
    /// retention (as before flush numbering), against ids forgotten once their source says they
    /// are settled (each flush settled before the next).
    /// </summary>
    private static void FlushIds()
    {
        const int Grains = 200, Flushes = 9_000;
        var start = DateTimeOffset.UtcNow;
        var before = Heap();
        var everyId = Enumerable.Range(0, Grains).Select(_ => new EveryIdForTheRetention()).ToList();
        for (var n = 1; n <= Flushes; n++)
        {
            var id = Guid.NewGuid();
            foreach (var grain in everyId) grain.TryAdd(id, start + TimeSpan.FromMilliseconds(200 * n));
        }
        var afterEveryId = Heap();
        var source = Guid.NewGuid();
        var settled = Enumerable.Range(0, Grains).Select(_ => new FlowMesh.Grains.Views.AppliedFlushes(TimeSpan.FromMinutes(30))).ToList();
        for (var n = 1; n <= Flushes; n++)
        {
            var id = Guid.NewGuid();
            foreach (var grain in settled) grain.TryAdd(id, new FlushSequence(source, n, n), start + TimeSpan.FromMilliseconds(200 * n));
        }
        var afterSettled = Heap();
        GC.KeepAlive(everyId);
        GC.KeepAlive(settled);
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(ci, $"flush ids per grain after 30 min at 5 flushes/s: every id kept {(afterEveryId - before) / Grains:N0} B, settled ones forgotten {(afterSettled - afterEveryId) / Grains:N0} B"));
    }

    /// <summary>The grains' duplicate detection before flush numbering: every id, for the whole retention.</summary>
    private sealed class EveryIdForTheRetention
    {
        private readonly HashSet<Guid> _ids = [];
        private readonly Queue<(Guid Id, long ExpiresAt)> _expiry = new();

        public void TryAdd(Guid id, DateTimeOffset now)
        {
            while (_expiry.TryPeek(out var head) && head.ExpiresAt <= now.UtcTicks)
            {
                _expiry.Dequeue();
                _ids.Remove(head.Id);
            }
            if (_ids.Add(id)) _expiry.Enqueue((id, (now + TimeSpan.FromMinutes(30)).UtcTicks));
        }
    }

    private static List<BatchPartition> TenMinutes(int recordsPerMinute, int scale)
    {
        var generator = new TrafficGenerator(SyntheticEstate.Create(3, scale), 3);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var flushes = new List<BatchPartition>();
        for (var minute = 9; minute >= 0; minute--)
        {
            var at = now - (minute * 60);
            var combiner = new FlowBatchCombiner(at);
            foreach (var r in generator.Records(recordsPerMinute, () => at)) combiner.OnRecord(in r);
            flushes.Add(combiner.Partition());
        }
        return flushes;
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
