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
/// sequence of weights (same insertion positions, same sift order, same victim at the heap root).
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

    public MultiMetricSpaceSaving(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
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
                bytes += 48 + ((long)_heaps[m].Slots.Length * Unsafe.SizeOf<Slot>()) + ((long)_heaps[m].Position.Length * sizeof(int));
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
        var hash = EqualityComparer<TKey>.Default.GetHashCode(key!);
        var index = Find(in key, hash);
        if (index < 0) index = Insert(in key, hash);
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

        // An absent key may already have had up to MinCount of weight: charge it as error.
        var bound = MinCountOf(m);
        _entries[index].Error[m] = bound;
        if (heap.Count < Capacity)
        {
            position = heap.Count++;
            if (position == heap.Slots.Length) Array.Resize(ref heap.Slots, (int)Math.Min((long)position * 2, Capacity));
            heap.Slots[position] = new Slot(bound + weight, index);
            heap.Position[index] = position;
            SiftUp(m, position);
            return;
        }

        // Full: the new key takes over the minimum's heap position, as SpaceSaving.Add does.
        var victim = heap.Slots[0].Entry;
        heap.Position[victim] = NotHeld;
        _entries[victim].Error[m] = 0;
        heap.Slots[0] = new Slot(bound + weight, index);
        heap.Position[index] = 0;
        heap.IsExact = false;
        SiftDown(m, 0);
        if (!IsHeld(victim)) Remove(victim);
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
