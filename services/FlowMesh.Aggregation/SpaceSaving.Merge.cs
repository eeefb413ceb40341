using System.Diagnostics.CodeAnalysis;

namespace FlowMesh.Aggregation;

public sealed partial class SpaceSaving<TKey>
{
    /// <summary>
    /// Merges <paramref name="other"/> into this summary (Agarwal et al., "Mergeable summaries"):
    /// counts of shared keys add; a key missing from one side is charged that side's absent-key bound
    /// (its <see cref="MinCount"/>, or 0 when that side <see cref="IsExact"/>) in both Count and Error;
    /// then the <see cref="Capacity"/> largest are kept. The guarantees of the class hold for the
    /// combined stream.
    /// </summary>
    public void MergeFrom(SpaceSaving<TKey> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var merged = Combine([this, other], Capacity);
        Load(merged.Kept, merged.TotalWeight, merged.MinFloor, merged.IsExact);
    }

    /// <summary>
    /// Merges all <paramref name="parts"/> at once into a new summary of <paramref name="capacity"/>.
    /// One pass over the union is tighter than merging pairwise: a key is charged only the bounds of
    /// the parts that lack it, and nothing is dropped before the end.
    /// </summary>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Factory shaped by the grain contract; SpaceSavingSummary offers the inferred form.")]
    public static SpaceSaving<TKey> Merge(IEnumerable<SpaceSaving<TKey>> parts, int capacity)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var result = new SpaceSaving<TKey>(capacity);
        var list = parts as IReadOnlyList<SpaceSaving<TKey>> ?? [.. parts];
        if (list.Count == 0) return result;
        var merged = Combine(list, capacity);
        result.Load(merged.Kept, merged.TotalWeight, merged.MinFloor, merged.IsExact);
        return result;
    }

    private static MergeResult Combine(IReadOnlyList<SpaceSaving<TKey>> parts, int capacity)
    {
        // absentBound: the most weight a part may hold for a key it does not list.
        long totalWeight = 0, absentBound = 0;
        var allExact = true;
        var union = new Dictionary<TKey, Accumulator>();
        foreach (var part in parts)
        {
            ArgumentNullException.ThrowIfNull(part);
            var bound = part.AbsentBound;
            totalWeight += part._totalWeight;
            absentBound += bound;
            allExact &= part._isExact;
            for (var i = 0; i < part._count; i++)
            {
                ref readonly var slot = ref part._slots[i];
                ref var acc = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(union, slot.Key, out _);
                acc.Count += slot.Count;
                acc.Error += slot.Error;
                acc.BoundCovered += bound;
            }
        }

        var all = new Estimate<TKey>[union.Count];
        var n = 0;
        foreach (var (key, acc) in union)
        {
            // Each part lacking the key contributes its bound: the total bound minus those that list it.
            var charge = absentBound - acc.BoundCovered;
            all[n++] = new Estimate<TKey>(key, acc.Count + charge, acc.Error + charge);
        }
        Array.Sort(all, EstimateRank<TKey>.Comparison);

        var floor = absentBound;
        if (all.Length > capacity)
        {
            // A dropped key's true weight is at most its Count, and ranks are by Count descending.
            floor = Math.Max(floor, all[capacity].Count);
            allExact = false;
            all = all[..capacity];
        }
        return new MergeResult(all, totalWeight, floor, allExact);
    }

    // What a part may hold for a key it does not list: nothing when it is exact.
    private long AbsentBound => _isExact ? 0 : MinCount;

    private void Load(Estimate<TKey>[] entries, long totalWeight, long minFloor, bool isExact)
    {
        if (_slots.Length < entries.Length)
        {
            _slots = new Slot[entries.Length];
            _heap = new int[entries.Length];
        }
        Array.Clear(_slots);
        _index.Clear();
        _index.EnsureCapacity(IndexSizeFor(_slots.Length));
        for (var i = 0; i < entries.Length; i++)
        {
            var e = entries[i];
            if (!_index.TryAdd(e.Key, i))
                throw new ArgumentException($"Key '{e.Key}' appears more than once.", nameof(entries));
            _slots[i] = new Slot(e.Key, e.Count, e.Error, i);
            _heap[i] = i;
        }
        _count = entries.Length;
        _totalWeight = totalWeight;
        _minFloor = minFloor;
        _isExact = isExact;
        // Floyd's heapify: sift down every internal node, last first.
        for (var i = (_count / 2) - 1; i >= 0; i--) SiftDown(i);
        // The snapshot does not carry filter counters: every absent key starts at the snapshot's bound.
        _filterBase = AbsentBound;
        _filter = null;
    }

    private struct Accumulator
    {
        public long Count;
        public long Error;
        public long BoundCovered;
    }

    private readonly record struct MergeResult(Estimate<TKey>[] Kept, long TotalWeight, long MinFloor, bool IsExact);
}
