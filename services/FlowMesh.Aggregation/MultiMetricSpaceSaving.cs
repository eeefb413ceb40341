using System.Runtime.CompilerServices;

namespace FlowMesh.Aggregation;

/// <summary>
/// Four weighted Space-Saving summaries — one per <see cref="Metric"/> (bytes, packets, flows,
/// rejected flows), each of <see cref="Capacity"/> keys — that share one key table, so crediting a
/// contributor with all four weights costs one hash lookup instead of four, and a key held by
/// several metrics is stored once.
/// </summary>
/// <remarks>
/// <para>Every metric keeps its own min-heap, counts and errors, and makes exactly the choices an
/// independent <see cref="SpaceSaving{TKey}"/> of the same capacity would make for the same
/// sequence of weights (same insertion positions, same sift order, same victim at the heap root, and
/// the same filter in front of a full heap, see <see cref="SpaceSavingFilter"/>).
/// Each metric therefore carries all the guarantees of <see cref="SpaceSaving{TKey}"/>: true weight
/// in [Count − Error, Count], Error ≤ MinCount ≤ total / Capacity, a missing key's weight ≤ MinCount,
/// and exact counts while at most Capacity distinct keys had that metric. The shared table only
/// decides where a key is stored: it lives while at least one metric holds it, so it holds at most
/// 4 × Capacity keys, and usually about Capacity because the metrics rank much the same keys.</para>
/// <para>Storage grows by doubling from a few entries, so a quiet summary stays small. Not
/// thread-safe: a summary belongs to one grain activation.</para>
/// </remarks>
public sealed partial class MultiMetricSpaceSaving<TKey> where TKey : IEquatable<TKey>
{
    /// <summary>Metrics per summary, in <see cref="Metric"/> order (Bytes = index 0).</summary>
    public const int MetricCount = 4;

    private const int InitialEntries = 8;
    private const int NotHeld = -1;

    private Entry[] _entries;
    private int[] _buckets;        // head entry + 1 per hash bucket; 0 = empty
    private int _used;             // entries ever handed out (high-water mark)
    private int _free = NotHeld;   // head of the free list, chained through Entry.Next
    private int _keys;
    private MetricHeaps _heaps;
    private readonly int _filterShift;

    public MultiMetricSpaceSaving(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _filterShift = SpaceSavingFilter.Shift(capacity);
        _entries = new Entry[Math.Min(InitialEntries, MaxEntries)];
        _buckets = new int[BucketsFor(_entries.Length)];
        for (var m = 0; m < MetricCount; m++)
        {
            ref var heap = ref _heaps[m];
            heap.Slots = new Slot[Math.Min(InitialEntries, capacity)];
            heap.Position = new int[_entries.Length];
            heap.IsExact = true;
        }
    }

    /// <summary>The most keys each metric holds.</summary>
    public int Capacity { get; }

    /// <summary>Distinct keys stored (held by at least one metric); at most 4 × <see cref="Capacity"/>.</summary>
    public int Keys => _keys;

    // A key stays only while some metric holds it, and each metric holds at most Capacity keys.
    private int MaxEntries => (int)Math.Min((long)Capacity * MetricCount, int.MaxValue / 2);

    /// <summary>Approximate heap memory held (entry table, buckets, heaps, objects).</summary>
    public long EstimatedBytes
    {
        get
        {
            long bytes = 64 + 24 + 24 + ((long)_entries.Length * Unsafe.SizeOf<Entry>()) + ((long)_buckets.Length * sizeof(int));
            for (var m = 0; m < MetricCount; m++)
                bytes += 48 + ((long)_heaps[m].Slots.Length * Unsafe.SizeOf<Slot>()) + ((long)_heaps[m].Position.Length * sizeof(int))
                    + (_heaps[m].Filter is { } filter ? 24 + ((long)filter.Length * sizeof(long)) : 0);
            return bytes;
        }
    }

    /// <summary>Approximate bytes per stored key once the table has grown to hold it.</summary>
    public int BytesPerKey => Unsafe.SizeOf<Entry>() + ((1 + MetricCount) * sizeof(int));

    /// <summary>Keys held by one metric.</summary>
    public int Count(Metric metric) => _heaps[Index(metric)].Count;

    /// <summary>Exact sum of every weight added to one metric.</summary>
    public long TotalWeight(Metric metric) => _heaps[Index(metric)].Total;

    /// <summary>True while the metric never evicted a key: its counts are exact and its errors 0.</summary>
    public bool IsExact(Metric metric) => _heaps[Index(metric)].IsExact;

    /// <summary>
    /// The metric's largest possible overestimate, and an upper bound on the true weight of any key
    /// it does not hold; 0 while it holds fewer than <see cref="Capacity"/> keys.
    /// </summary>
    public long MinCount(Metric metric) => MinCountOf(Index(metric));

    /// <summary>
    /// Credits <paramref name="key"/> with one weight per metric; a zero weight leaves that metric
    /// untouched (so an accepted flow never enters the rejected-flows ranking). Per metric this is
    /// exactly <see cref="SpaceSaving{TKey}.Add"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative.</exception>
    public void Add(in TKey key, long bytes, long packets, long flows, long rejectedFlows)
    {
        if ((bytes | packets | flows | rejectedFlows) < 0) ThrowNegative();
        if ((bytes | packets | flows | rejectedFlows) == 0) return;
        Add(in key, EqualityComparer<TKey>.Default.GetHashCode(key!), bytes, packets, flows, rejectedFlows);
    }

    /// <summary><see cref="Add(in TKey, long, long, long, long)"/> with the key's hash code already computed and weights already checked.</summary>
    internal void Add(in TKey key, int hash, long bytes, long packets, long flows, long rejectedFlows)
    {
        var index = Find(in key, hash);
        if (index < 0)
        {
            if (TurnedAwayByAll(hash, bytes, packets, flows, rejectedFlows)) return;
            index = Insert(in key, hash);
        }
        if (bytes != 0) AddTo(0, index, bytes);
        if (packets != 0) AddTo(1, index, packets);
        if (flows != 0) AddTo(2, index, flows);
        if (rejectedFlows != 0) AddTo(3, index, rejectedFlows);
    }

    /// <summary>Looks up a key in one metric; false when that metric does not hold it (true weight ≤ MinCount).</summary>
    public bool TryGet(Metric metric, in TKey key, out Estimate<TKey> estimate)
    {
        var m = Index(metric);
        var index = Find(in key, EqualityComparer<TKey>.Default.GetHashCode(key!));
        if (index >= 0 && _heaps[m].Position[index] is var position and not NotHeld)
        {
            ref var e = ref _entries[index];
            estimate = new Estimate<TKey>(e.Key, _heaps[m].Slots[position].Count, e.Error[m]);
            return true;
        }
        estimate = default;
        return false;
    }

    /// <summary>Forgets every key and weight, keeping the grown arrays for reuse.</summary>
    public void Clear()
    {
        Array.Clear(_entries, 0, _used);
        Array.Clear(_buckets);
        _used = 0;
        _free = NotHeld;
        _keys = 0;
        for (var m = 0; m < MetricCount; m++)
        {
            ref var heap = ref _heaps[m];
            heap.Count = 0;
            heap.Total = 0;
            if (heap.Filter is not null) Array.Clear(heap.Filter);
            heap.IsExact = true;
        }
    }

    private void AddTo(int m, int index, long weight)
    {
        ref var heap = ref _heaps[m];
        heap.Total += weight;
        var position = heap.Position[index];
        if (position != NotHeld)
        {
            heap.Slots[position].Count += weight;
            SiftDown(m, position);
            return;
        }

        if (heap.Count < Capacity)
        {
            // Not full: nothing was ever dropped, so the key had no weight before.
            _entries[index].Error[m] = 0;
            position = heap.Count++;
            if (position == heap.Slots.Length) Array.Resize(ref heap.Slots, (int)Math.Min((long)position * 2, Capacity));
            heap.Slots[position] = new Slot(weight, index);
            heap.Position[index] = position;
            SiftUp(m, position);
            return;
        }

        // Full: the key's earlier weight is at most its filter counter (which is at most MinCount),
        // and it replaces the minimum only if the counter plus its weight reaches that minimum.
        var min = heap.Slots[0].Count;
        ref var counter = ref FilterCounter(m, _entries[index].HashCode);
        heap.IsExact = false;
        if (counter + weight < min)
        {
            counter += weight;
            return;
        }
        var error = counter;
        var victim = heap.Slots[0].Entry;
        ref var victimCounter = ref FilterCounter(m, _entries[victim].HashCode);
        if (victimCounter < min) victimCounter = min; // the victim's Count bounds its weight from now on
        heap.Position[victim] = NotHeld;
        _entries[victim].Error[m] = 0;
        _entries[index].Error[m] = error;
        heap.Slots[0] = new Slot(error + weight, index);
        heap.Position[index] = 0;
        SiftDown(m, 0);
        if (!IsHeld(victim)) Remove(victim);
    }

    // For a key not in the table: true when every metric it has weight for is full and turns it away
    // (exactly what AddTo would decide per metric). The weights then only raise the filter counters,
    // and the key takes no entry.
    private bool TurnedAwayByAll(int hash, long bytes, long packets, long flows, long rejectedFlows)
    {
        if (!TurnsAway(0, hash, bytes) || !TurnsAway(1, hash, packets)
            || !TurnsAway(2, hash, flows) || !TurnsAway(3, hash, rejectedFlows)) return false;
        CountInFilter(0, hash, bytes);
        CountInFilter(1, hash, packets);
        CountInFilter(2, hash, flows);
        CountInFilter(3, hash, rejectedFlows);
        return true;
    }

    private bool TurnsAway(int m, int hash, long weight)
    {
        if (weight == 0) return true;
        ref var heap = ref _heaps[m];
        return heap.Count >= Capacity && FilterCounter(m, hash) + weight < heap.Slots[0].Count;
    }

    private void CountInFilter(int m, int hash, long weight)
    {
        if (weight == 0) return;
        ref var heap = ref _heaps[m];
        heap.Total += weight;
        heap.IsExact = false;
        FilterCounter(m, hash) += weight;
    }

    // The metric's filter counter for a hash (see SpaceSavingFilter), allocated when it first fills.
    private ref long FilterCounter(int m, int hash)
    {
        ref var heap = ref _heaps[m];
        var filter = heap.Filter ??= new long[SpaceSavingFilter.Length(_filterShift)];
        return ref filter[SpaceSavingFilter.Bucket(hash, _filterShift)];
    }

    private long MinCountOf(int m)
    {
        ref var heap = ref _heaps[m];
        return heap.Count < Capacity ? 0 : heap.Slots[0].Count;
    }

    private bool IsHeld(int index) =>
        _heaps[0].Position[index] != NotHeld || _heaps[1].Position[index] != NotHeld
        || _heaps[2].Position[index] != NotHeld || _heaps[3].Position[index] != NotHeld;

    private static int Index(Metric metric)
    {
        var m = (int)metric - 1;
        if ((uint)m >= MetricCount) throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric.");
        return m;
    }

    private static void ThrowNegative() =>
        throw new ArgumentOutOfRangeException("weight", "Weights must not be negative.");
}
