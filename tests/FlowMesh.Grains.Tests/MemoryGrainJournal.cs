using System.Collections.Concurrent;
using FlowMesh.Grains.Durability;
using Orleans.Serialization;

namespace FlowMesh.Grains.Tests;

/// <summary>
/// A journal kept in the test process: entries go through the real Orleans serializer (so what
/// Redis would store is exercised byte for byte) but live in memory and are never trimmed. It
/// survives grain deactivation, which is what the replay tests need; the Redis journal itself is
/// tested against a real redis-server in FlowMesh.Cluster.Tests.
/// </summary>
public sealed class MemoryGrainJournal(Serializer serializer) : IGrainJournal
{
    private readonly ConcurrentDictionary<GrainId, List<byte[]>> _entries = new();
    private readonly ConcurrentDictionary<GrainId, int> _reads = new();

    public bool IsDurable => true;

    /// <summary>How many times a grain read its journal (once per activation).</summary>
    public int Reads(GrainId grain) => _reads.GetValueOrDefault(grain);

    public int Entries(GrainId grain) => _entries.TryGetValue(grain, out var list) ? Count(list) : 0;

    public ValueTask AppendAsync<T>(GrainId grain, T entry, TimeSpan retention)
    {
        var list = _entries.GetOrAdd(grain, _ => []);
        var payload = serializer.SerializeToArray(entry);
        lock (list) list.Add(payload);
        return ValueTask.CompletedTask;
    }

    public Task<IReadOnlyList<T>> ReadAsync<T>(GrainId grain, CancellationToken cancellationToken)
    {
        _reads.AddOrUpdate(grain, 1, (_, n) => n + 1);
        if (!_entries.TryGetValue(grain, out var list)) return Task.FromResult<IReadOnlyList<T>>([]);
        byte[][] payloads;
        lock (list) payloads = [.. list];
        return Task.FromResult<IReadOnlyList<T>>(payloads.Select(p => serializer.Deserialize<T>(p)!).ToList());
    }

    private static int Count(List<byte[]> list)
    {
        lock (list) return list.Count;
    }
}
