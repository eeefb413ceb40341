namespace FlowMesh.Aggregation;

public sealed partial class MultiMetricSpaceSaving<TKey>
{
    /// <summary>One metric's entries in heap order (unsorted).</summary>
    public Estimate<TKey>[] ToArray(Metric metric)
    {
        var m = Index(metric);
        ref var heap = ref _heaps[m];
        var result = new Estimate<TKey>[heap.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var slot = heap.Slots[i];
            ref var e = ref _entries[slot.Entry];
            result[i] = new Estimate<TKey>(e.Key, slot.Count, e.Error[m]);
        }
        return result;
    }

    /// <summary>One metric's entry at a heap position (0 ≤ position &lt; <see cref="Count"/>), read in place.</summary>
    internal Estimate<TKey> EntryAt(Metric metric, int position)
    {
        var m = Index(metric);
        var slot = _heaps[m].Slots[position];
        ref var e = ref _entries[slot.Entry];
        return new Estimate<TKey>(e.Key, slot.Count, e.Error[m]);
    }

    /// <summary>One metric's <paramref name="n"/> largest entries, ranked as <see cref="SpaceSaving{TKey}.Top"/> ranks them.</summary>
    public IReadOnlyList<Estimate<TKey>> Top(Metric metric, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var all = ToArray(metric);
        Array.Sort(all, EstimateRank<TKey>.Comparison);
        return n >= all.Length ? all : all[..n];
    }

    /// <summary>
    /// One metric as a standalone <see cref="SpaceSaving{TKey}"/> with the same entries, total,
    /// minimum and exactness (so it merges into window answers with the same bounds); null when
    /// nothing was added to that metric.
    /// </summary>
    public SpaceSaving<TKey>? ToSpaceSaving(Metric metric)
    {
        var m = Index(metric);
        ref var heap = ref _heaps[m];
        if (heap.Total == 0) return null;
        return SpaceSaving<TKey>.Restore(Capacity, ToArray(metric), heap.Total, 0, heap.IsExact);
    }
}
