namespace FlowMesh.Aggregation;

/// <summary>
/// One minute's contributors: exact <see cref="Totals"/> plus, for each tracked dimension, a
/// <see cref="MultiMetricSpaceSaving{TKey}"/>: one Space-Saving summary of <see cref="Capacity"/>
/// keys per <see cref="Metric"/>, sharing one key table. Each metric carries the Space-Saving
/// bounds (true value in [Count − Error, Count], absent keys ≤ MinCount ≤ metric total / Capacity),
/// and the per-minute summaries merge into a window's answer with the same bounds (<see cref="WindowQuery"/>).
/// </summary>
/// <remarks>
/// Summaries are created on first use and grow from a few entries, so a quiet interface or address
/// costs a few hundred bytes, not dimensions × metrics × capacity entries. <see cref="Reset"/> keeps
/// them (and their grown arrays) for the next minute that reuses this bucket. Not thread-safe.
/// </remarks>
public sealed class ContributorBoard
{
    private static readonly int DimensionSlots = (int)Enum.GetValues<Dimension>().Max() + 1;

    private readonly int[] _dimensionIndex;
    private readonly MultiMetricSpaceSaving<ContributorKey>?[] _summaries;
    private readonly Pending[] _pending;
    private ContributorBatch? _batch;
    private FlowTotals _totals;

    public ContributorBoard(IReadOnlyList<Dimension> dimensions, int capacity)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _dimensionIndex = new int[DimensionSlots];
        Array.Fill(_dimensionIndex, -1);
        for (var i = 0; i < dimensions.Count; i++)
        {
            var d = (int)dimensions[i];
            if (d <= 0 || d >= DimensionSlots)
                throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions[i], "Unknown dimension.");
            if (_dimensionIndex[d] >= 0)
                throw new ArgumentException($"Dimension {dimensions[i]} is listed twice.", nameof(dimensions));
            _dimensionIndex[d] = i;
        }
        Dimensions = [.. dimensions];
        Capacity = capacity;
        _summaries = new MultiMetricSpaceSaving<ContributorKey>?[dimensions.Count];
        _pending = new Pending[dimensions.Count];
    }

    public IReadOnlyList<Dimension> Dimensions { get; }

    /// <summary>Keys kept per dimension and metric.</summary>
    public int Capacity { get; }

    /// <summary>Exact totals of this minute; updated in place (<c>board.Totals.AddFlow(...)</c>).</summary>
    public ref FlowTotals Totals => ref _totals;

    /// <summary>Approximate memory held: every allocated summary plus this object.</summary>
    public long EstimatedBytes
    {
        get
        {
            long bytes = 64 + (_summaries.Length * 8) + (_dimensionIndex.Length * 4) + (_pending.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<Pending>());
            foreach (var summary in _summaries) bytes += summary?.EstimatedBytes ?? 0;
            return bytes;
        }
    }

    public bool Tracks(Dimension dimension) => IndexOf(dimension) >= 0;

    public void AddTotals(in FlowTotals totals) => _totals.Add(totals);

    /// <summary>
    /// Credits <paramref name="key"/> in <paramref name="dimension"/> with each non-zero weight. A zero
    /// weight leaves that metric's summary untouched, so e.g. an accepted flow never enters the
    /// rejected-flows ranking. Totals are not touched: add them once per record, not per dimension.
    /// </summary>
    /// <remarks>
    /// Consecutive adds of the same key to a dimension are summed and reach its summary as one add
    /// (when a different key comes, or before anything reads the board): one hash lookup and one sift
    /// instead of several. Nothing else touches that summary in between, so it is the summary of the
    /// same stream with each run as one weight, with every Space-Saving bound. (Separate adds can end
    /// differently: the filter in front of a full summary may turn a run's first adds away and let a
    /// later one in, charging the earlier ones as error.)
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is not tracked, or a weight is negative.</exception>
    public void Add(Dimension dimension, in ContributorKey key, long bytes, long packets, long flows, long rejectedFlows)
    {
        var index = IndexOf(dimension);
        if (index < 0)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "This board does not track the dimension.");
        if ((bytes | packets | flows | rejectedFlows) < 0)
            throw new ArgumentOutOfRangeException(nameof(bytes), "Weights must not be negative.");
        if ((bytes | packets | flows | rejectedFlows) == 0) return;
        if (_batch is { } batch)
        {
            if (batch.TryAdd(index, in key, bytes, packets, flows, rejectedFlows)) return;
            HandOver(batch);
            batch.TryAdd(index, in key, bytes, packets, flows, rejectedFlows);
            return;
        }
        ref var pending = ref _pending[index];
        if (pending.IsSet)
        {
            if (pending.Key.Equals(key))
            {
                pending.Add(bytes, packets, flows, rejectedFlows);
                return;
            }
            Apply(index, ref pending);
        }
        pending = new Pending(key, bytes, packets, flows, rejectedFlows);
    }

    /// <summary>
    /// Until <see cref="EndBatch"/>, sums this board's adds per dimension and key instead of handing
    /// each to its summary: at the end every key reaches its summary once, with its summed weights,
    /// in the order the keys were first added. That is the summary of the same weights with each
    /// key's adds of the batch as one, so every Space-Saving bound holds; the work is one small
    /// table lookup per add and one summary update per distinct key. Reads hand the batch over first.
    /// A board holds at most one batch. As outside a batch, a dimension's summary is created only
    /// once a second key comes (or a read): until then its one key is held back as a run, so a
    /// minute in which a dimension sees a single key (an address's protocol) allocates no summary.
    /// </summary>
    /// <returns>True when this call began the batch; false when one was already open.</returns>
    public bool BeginBatch()
    {
        if (_batch is not null) return false;
        _batch = ContributorBatch.Rent();
        return true;
    }

    /// <summary>Hands the batch begun by <see cref="BeginBatch"/> to the summaries and ends it.</summary>
    public void EndBatch()
    {
        if (_batch is not { } batch) return;
        _batch = null;
        HandOver(batch);
        ContributorBatch.Return(batch);
    }

    // Items keep their first-seen order behind any run held back before the batch. A dimension
    // without a summary yet holds its first key back as a run instead of creating one: a dimension
    // that only ever sees one key in a minute (an address's protocol or interface) stays a run.
    private void HandOver(ContributorBatch batch)
    {
        foreach (ref readonly var item in batch.Items)
        {
            var index = item.Dimension;
            ref var pending = ref _pending[index];
            if (pending.IsSet)
            {
                if (pending.Key.Equals(item.Key))
                {
                    pending.Add(item.Bytes, item.Packets, item.Flows, item.RejectedFlows);
                    continue;
                }
                Apply(index, ref pending);
                pending = default;
            }
            if (_summaries[index] is { } summary)
                summary.Add(in item.Key, item.Hash, item.Bytes, item.Packets, item.Flows, item.RejectedFlows);
            else
                pending = new Pending(item.Key, item.Bytes, item.Packets, item.Flows, item.RejectedFlows);
        }
        batch.Clear();
    }

    /// <summary>Hands every held-back run (and an open batch's sums) to its summary; reads call it first.</summary>
    private void FlushPending()
    {
        if (_batch is { } batch) HandOver(batch);
        for (var i = 0; i < _pending.Length; i++)
        {
            ref var pending = ref _pending[i];
            if (!pending.IsSet) continue;
            Apply(i, ref pending);
            pending = default;
        }
    }

    private void Apply(int index, ref Pending pending) =>
        SummaryAt(index).Add(in pending.Key, pending.Bytes, pending.Packets, pending.Flows, pending.RejectedFlows);

    private MultiMetricSpaceSaving<ContributorKey> SummaryAt(int index) =>
        _summaries[index] ??= new MultiMetricSpaceSaving<ContributorKey>(Capacity);

    /// <summary>
    /// A standalone copy of one dimension's summary for one metric (same entries, total, minimum and
    /// exactness); null when nothing was added to it (or the dimension is untracked).
    /// </summary>
    public SpaceSaving<ContributorKey>? Get(Dimension dimension, Metric metric)
    {
        var index = IndexOf(dimension);
        if (index < 0 || metric is < Metric.Bytes or > Metric.RejectedFlows) return null;
        FlushPending();
        return _summaries[index]?.ToSpaceSaving(metric);
    }

    /// <summary>One dimension's summaries of all four metrics; null when nothing was added to it (or untracked).</summary>
    public MultiMetricSpaceSaving<ContributorKey>? Summary(Dimension dimension)
    {
        var index = IndexOf(dimension);
        if (index < 0) return null;
        FlushPending();
        return _summaries[index];
    }

    /// <summary>Empties the board for reuse by another minute, keeping its summaries' storage.</summary>
    public void Reset()
    {
        _totals = default;
        Array.Clear(_pending);
        _batch?.Clear();
        foreach (var summary in _summaries) summary?.Clear();
    }

    /// <summary>A run of adds of one key not yet handed to its dimension's summary.</summary>
    private struct Pending(ContributorKey key, long bytes, long packets, long flows, long rejectedFlows)
    {
        public ContributorKey Key = key;
        public long Bytes = bytes;
        public long Packets = packets;
        public long Flows = flows;
        public long RejectedFlows = rejectedFlows;
        public bool IsSet = true;

        public void Add(long bytes, long packets, long flows, long rejectedFlows)
        {
            Bytes += bytes;
            Packets += packets;
            Flows += flows;
            RejectedFlows += rejectedFlows;
        }
    }

    private int IndexOf(Dimension dimension)
    {
        var d = (int)dimension;
        return d > 0 && d < DimensionSlots ? _dimensionIndex[d] : -1;
    }
}
