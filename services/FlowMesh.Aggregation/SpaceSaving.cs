using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FlowMesh.Aggregation;

/// <summary>
/// Weighted Space-Saving heavy-hitter summary (Metwally, Agrawal, El Abbadi 2005) holding at most
/// <see cref="Capacity"/> keys, mergeable as in Agarwal et al. "Mergeable summaries" (2012).
/// </summary>
/// <remarks>
/// <para>Guarantees, for every key and any sequence of <see cref="Add"/> and merges:</para>
/// <list type="bullet">
/// <item>an entry's true weight lies in [Count − Error, Count] (see <see cref="Estimate{TKey}"/>);</item>
/// <item>Error ≤ <see cref="MinCount"/> ≤ <see cref="TotalWeight"/> / <see cref="Capacity"/>;</item>
/// <item>a key that is not present has true weight ≤ <see cref="MinCount"/>, so every key whose true
/// weight exceeds <see cref="MinCount"/> is present;</item>
/// <item>while <see cref="IsExact"/> holds (never more distinct keys than capacity, nothing
/// dropped by a merge) every Count is the true weight and every Error is 0.</item>
/// </list>
/// <para>Once full, the summary keeps a filter in front of the heap (Filtered Space-Saving,
/// <see cref="SpaceSavingFilter"/>): a new key whose bucket counter plus weight stays below MinCount
/// only raises that counter, so a long tail of light keys no longer churns the heap; a key that does
/// enter is charged its bucket counter (≤ MinCount) as Error. Every guarantee above still holds.</para>
/// <para>When several entries share the minimum Count, the one at the heap root is replaced: the choice
/// depends only on the sequence of operations (and on the keys' hash codes, which pick the filter
/// buckets; strings hash differently per process), so equal inputs give equal summaries.</para>
/// <para>Layout: entries live in a slot array that never moves them; a binary min-heap of slot numbers
/// orders them by Count, and a dictionary maps key → slot. Heap moves therefore touch only arrays,
/// never the dictionary, and <see cref="Add"/> is O(log k) with no allocation once the slot array has
/// grown (it grows by doubling up to <see cref="Capacity"/>, so a mostly idle summary stays small).</para>
/// <para>Not thread-safe: a summary belongs to one grain activation.</para>
/// </remarks>
public sealed partial class SpaceSaving<TKey> where TKey : IEquatable<TKey>
{
    private const int InitialSlots = 8;

    private Slot[] _slots;
    private int[] _heap;
    private readonly Dictionary<TKey, int> _index;
    private int _count;
    private long _totalWeight;
    private bool _isExact = true;
    private long[]? _filter;
    private long _filterBase; // the filter counters' starting value: the absent-key bound of a loaded snapshot
    private readonly int _filterShift;

    // A floor under MinCount that survives merges and snapshots. After a merge the heap minimum is
    // already ≥ this floor; it matters only for entries restored by FromEntries.
    private long _minFloor;

    public SpaceSaving(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _filterShift = SpaceSavingFilter.Shift(capacity);
        _slots = new Slot[Math.Min(capacity, InitialSlots)];
        _heap = new int[_slots.Length];
        _index = new Dictionary<TKey, int>(IndexSizeFor(_slots.Length));
    }

    /// <summary>The most keys the summary holds.</summary>
    public int Capacity { get; }

    /// <summary>Keys currently held.</summary>
    public int Count => _count;

    /// <summary>Exact sum of every weight added (including merged summaries' totals).</summary>
    public long TotalWeight => _totalWeight;

    /// <summary>True while no key has ever been evicted or dropped: then counts are exact and errors 0.</summary>
    public bool IsExact => _isExact;

    /// <summary>
    /// The largest amount by which any Count may overestimate, and an upper bound on the true weight
    /// of any key not in the summary. 0 while the summary is not full (and has not absorbed a lossy merge).
    /// </summary>
    public long MinCount => _count < Capacity ? _minFloor : Math.Max(_minFloor, _slots[_heap[0]].Count);

    /// <summary>Approximate heap memory held by this summary (slot array, heap, dictionary).</summary>
    public long EstimatedBytes =>
        ObjectOverhead + (long)_slots.Length * (Unsafe.SizeOf<Slot>() + sizeof(int))
        + (long)_index.EnsureCapacity(0) * DictionaryBytesPerKey
        + (_filter is null ? 0 : 24 + ((long)_filter.Length * sizeof(long)));

    /// <summary>Approximate bytes per retained key once the summary has grown to hold it.</summary>
    public int BytesPerEntry => Unsafe.SizeOf<Slot>() + sizeof(int) + DictionaryBytesPerKey;

    // Dictionary<TKey,int> stores (hashCode, next, key, value) per entry plus one int bucket.
    private static int DictionaryBytesPerKey => (2 * sizeof(int)) + Unsafe.SizeOf<KeyValuePair<TKey, int>>() + sizeof(int);

    // The summary object, the dictionary object, the three arrays' headers (approximate, 64-bit).
    private const int ObjectOverhead = 64 + 80 + 3 * 24;

    /// <summary>
    /// Adds <paramref name="weight"/> to <paramref name="key"/>. A new key in a full summary goes
    /// through the filter: if its bucket's counter plus the weight stays below <see cref="MinCount"/>,
    /// only the counter grows; otherwise the key replaces the entry with the smallest Count, with the
    /// counter as its Error and the counter plus the weight as its Count.
    /// </summary>
    public void Add(TKey key, long weight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        _totalWeight += weight;

        ref var slotOfKey = ref CollectionsMarshal.GetValueRefOrNullRef(_index, key);
        if (!Unsafe.IsNullRef(ref slotOfKey))
        {
            ref var slot = ref _slots[slotOfKey];
            slot.Count += weight;
            SiftDown(slot.HeapIndex);
            return;
        }

        var bound = MinCount;
        if (_count < Capacity)
        {
            // Not full: an absent key may have had up to MinCount (a restored floor) before; charge it as error.
            var position = _count++;
            if (position == _slots.Length) Grow();
            _index.Add(key, position);
            _slots[position] = new Slot(key, bound + weight, bound, position);
            _heap[position] = position;
            SiftUp(position);
            return;
        }

        // Full: the key's earlier weight is at most its filter counter, which is at most MinCount.
        _isExact = false;
        ref var counter = ref FilterCounter(key);
        if (counter + weight < bound)
        {
            counter += weight;
            return;
        }
        var error = counter;
        var victim = _heap[0];
        ref var min = ref _slots[victim];
        ref var victimCounter = ref FilterCounter(min.Key);
        if (victimCounter < min.Count) victimCounter = min.Count;
        _index.Remove(min.Key);
        _index.Add(key, victim);
        min.Key = key;
        min.Error = error;
        min.Count = error + weight;
        SiftDown(0);
    }

    // The filter counter of a key's bucket: an upper bound on the weight of every absent key in that
    // bucket, never above MinCount. Allocated when the summary first turns a new key away or evicts.
    private ref long FilterCounter(TKey key)
    {
        if (_filter is null)
        {
            _filter = new long[SpaceSavingFilter.Length(_filterShift)];
            if (_filterBase != 0) Array.Fill(_filter, _filterBase);
        }
        return ref _filter[SpaceSavingFilter.Bucket(EqualityComparer<TKey>.Default.GetHashCode(key!), _filterShift)];
    }

    /// <summary>Looks up a key; false when the key is not held (its true weight is then ≤ <see cref="MinCount"/>).</summary>
    public bool TryGet(TKey key, out Estimate<TKey> estimate)
    {
        if (_index.TryGetValue(key, out var position))
        {
            ref var slot = ref _slots[position];
            estimate = new Estimate<TKey>(slot.Key, slot.Count, slot.Error);
            return true;
        }
        estimate = default;
        return false;
    }

    /// <summary>
    /// The <paramref name="n"/> largest entries, by Count descending. Ties are broken by Error
    /// ascending (the better-known value first), then by key order when <typeparamref name="TKey"/>
    /// implements <see cref="IComparable{T}"/>, else by hash code, so equal inputs rank identically.
    /// </summary>
    public IReadOnlyList<Estimate<TKey>> Top(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var all = ToArray();
        Array.Sort(all, EstimateRank<TKey>.Comparison);
        return n >= all.Length ? all : all[..n];
    }

    /// <summary>Forgets every key and weight, keeping the allocated arrays for reuse.</summary>
    public void Clear()
    {
        Array.Clear(_slots, 0, _count);
        _index.Clear();
        _count = 0;
        _totalWeight = 0;
        _minFloor = 0;
        _isExact = true;
        _filterBase = 0;
        if (_filter is not null) Array.Clear(_filter);
    }

    private void Grow()
    {
        var size = (int)Math.Min((long)_slots.Length * 2, Capacity);
        Array.Resize(ref _slots, size);
        Array.Resize(ref _heap, size);
        // Grow the index in step: left to itself it doubles past the capacity (≈ 2× its memory).
        _index.EnsureCapacity(IndexSizeFor(size));
    }

    // A full summary's replacement adds the new key before removing the old one, so the index needs
    // one spare entry then; sizing it up front keeps steady-state replacement allocation-free.
    private int IndexSizeFor(int slots) => slots == Capacity ? slots + 1 : slots;

    private void SiftUp(int position)
    {
        var slots = _slots;
        var heap = _heap;
        var item = heap[position];
        var count = slots[item].Count;
        while (position > 0)
        {
            var parent = (position - 1) >> 1;
            var above = heap[parent];
            if (slots[above].Count <= count) break;
            heap[position] = above;
            slots[above].HeapIndex = position;
            position = parent;
        }
        heap[position] = item;
        slots[item].HeapIndex = position;
    }

    private void SiftDown(int position)
    {
        var slots = _slots;
        var heap = _heap;
        var n = _count;
        var item = heap[position];
        var count = slots[item].Count;
        while (true)
        {
            var child = (2 * position) + 1;
            if (child >= n) break;
            var childCount = slots[heap[child]].Count;
            if (child + 1 < n)
            {
                var rightCount = slots[heap[child + 1]].Count;
                if (rightCount < childCount)
                {
                    child++;
                    childCount = rightCount;
                }
            }
            if (childCount >= count) break;
            heap[position] = heap[child];
            slots[heap[position]].HeapIndex = position;
            position = child;
        }
        heap[position] = item;
        slots[item].HeapIndex = position;
    }

    private struct Slot(TKey key, long count, long error, int heapIndex)
    {
        public TKey Key = key;
        public long Count = count;
        public long Error = error;
        public int HeapIndex = heapIndex;
    }
}
