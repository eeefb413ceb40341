using System.Runtime.CompilerServices;

namespace FlowMesh.Aggregation;

public sealed partial class MultiMetricSpaceSaving<TKey>
{
    // Key table: chained hashing over a power-of-two bucket array; entries never move while held,
    // so heaps refer to them by index. Freed entries go to a free list and are reused first.
    private int Find(in TKey key, int hash)
    {
        var entries = _entries;
        var i = _buckets[hash & (_buckets.Length - 1)] - 1;
        while (i >= 0)
        {
            ref var e = ref entries[i];
            if (e.HashCode == hash && e.Key.Equals(key)) return i;
            i = e.Next;
        }
        return NotHeld;
    }

    private int Insert(in TKey key, int hash)
    {
        int index;
        if (_free != NotHeld)
        {
            index = _free;
            _free = _entries[index].Next;
        }
        else
        {
            if (_used == _entries.Length) Grow();
            index = _used++;
        }
        ref var e = ref _entries[index];
        e.Key = key;
        e.HashCode = hash;
        for (var m = 0; m < MetricCount; m++) _heaps[m].Position[index] = NotHeld;
        ref var head = ref _buckets[hash & (_buckets.Length - 1)];
        e.Next = head - 1;
        head = index + 1;
        _keys++;
        return index;
    }

    private void Remove(int index)
    {
        ref var e = ref _entries[index];
        ref var link = ref _buckets[e.HashCode & (_buckets.Length - 1)];
        if (link - 1 == index)
        {
            link = e.Next + 1;
        }
        else
        {
            var i = link - 1;
            while (_entries[i].Next != index) i = _entries[i].Next;
            _entries[i].Next = e.Next;
        }
        e = default; // drops the key's references (interface ids) for the GC
        e.Next = _free;
        _free = index;
        _keys--;
    }

    private void Grow()
    {
        // Only reached with an empty free list, so every used entry is held and gets rehashed.
        var size = (int)Math.Min((long)_entries.Length * 2, MaxEntries);
        if (size <= _entries.Length) throw new InvalidOperationException("Key table is full; a metric holds more than its capacity.");
        Array.Resize(ref _entries, size);
        for (var m = 0; m < MetricCount; m++) Array.Resize(ref _heaps[m].Position, size);
        _buckets = new int[BucketsFor(size)];
        var mask = _buckets.Length - 1;
        for (var i = 0; i < _used; i++)
        {
            ref var e = ref _entries[i];
            ref var head = ref _buckets[e.HashCode & mask];
            e.Next = head - 1;
            head = i + 1;
        }
    }

    private static int BucketsFor(int entries) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(entries, 4));

    // The heaps hold each key's count beside its entry index, so a sift compares counts that sit
    // next to each other instead of reaching into the (much larger) key entries, and only writes
    // the moved key's position in a compact per-metric array.
    private void SiftUp(int m, int position)
    {
        ref var heap = ref _heaps[m];
        var slots = heap.Slots;
        var positions = heap.Position;
        var item = slots[position];
        while (position > 0)
        {
            var parent = (position - 1) >> 1;
            var above = slots[parent];
            if (above.Count <= item.Count) break;
            slots[position] = above;
            positions[above.Entry] = position;
            position = parent;
        }
        slots[position] = item;
        positions[item.Entry] = position;
    }

    private void SiftDown(int m, int position)
    {
        ref var heap = ref _heaps[m];
        var slots = heap.Slots;
        var positions = heap.Position;
        var n = heap.Count;
        var item = slots[position];
        while (true)
        {
            var child = (2 * position) + 1;
            if (child >= n) break;
            var childCount = slots[child].Count;
            if (child + 1 < n)
            {
                var rightCount = slots[child + 1].Count;
                if (rightCount < childCount)
                {
                    child++;
                    childCount = rightCount;
                }
            }
            if (childCount >= item.Count) break;
            var moved = slots[child];
            slots[position] = moved;
            positions[moved.Entry] = position;
            position = child;
        }
        slots[position] = item;
        positions[item.Entry] = position;
    }

    private struct Entry
    {
        public TKey Key;
        public int HashCode;
        public int Next;
        public Longs Error;
    }

    /// <summary>One heap element: a key's count for the heap's metric and the key's entry index.</summary>
    private record struct Slot(long Count, int Entry);

    private struct MetricHeap
    {
        public Slot[] Slots;    // a binary min-heap by Count
        public int[] Position;  // heap position of each entry, NotHeld when this metric does not hold it
        public long[]? Filter;  // once full: per hash bucket, an upper bound on any absent key's weight (≤ the minimum)
        public int Count;
        public long Total;
        public bool IsExact;
    }

    [InlineArray(MetricCount)]
    private struct Longs
    {
        private long _first;
    }

    [InlineArray(MetricCount)]
    private struct MetricHeaps
    {
        private MetricHeap _first;
    }
}
