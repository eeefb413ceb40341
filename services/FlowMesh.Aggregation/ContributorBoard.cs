namespace FlowMesh.Aggregation;

/// <summary>
/// One minute's contributors: exact <see cref="Totals"/> plus, for each tracked dimension and each
/// <see cref="Metric"/>, a <see cref="SpaceSaving{TKey}"/> summary of <see cref="Capacity"/> keys.
/// Each summary carries the Space-Saving bounds (true value in [Count − Error, Count], absent keys
/// ≤ MinCount ≤ metric total / Capacity), and the per-minute summaries merge into a window's answer
/// with the same bounds (<see cref="WindowQuery"/>).
/// </summary>
/// <remarks>
/// Summaries are created on first use, so a quiet interface or address costs a few hundred bytes,
/// not dimensions × metrics × capacity entries. <see cref="Reset"/> keeps them (and their grown arrays)
/// for the next minute that reuses this bucket. Not thread-safe.
/// </remarks>
public sealed class ContributorBoard
{
    private const int MetricCount = 4;
    private static readonly int DimensionSlots = (int)Enum.GetValues<Dimension>().Max() + 1;

    private readonly int[] _dimensionIndex;
    private readonly SpaceSaving<ContributorKey>?[] _summaries;
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
        _summaries = new SpaceSaving<ContributorKey>?[dimensions.Count * MetricCount];
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
            long bytes = 64 + (_summaries.Length * 8) + (_dimensionIndex.Length * 4);
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
    /// <exception cref="ArgumentOutOfRangeException">The dimension is not tracked, or a weight is negative.</exception>
    public void Add(Dimension dimension, in ContributorKey key, long bytes, long packets, long flows, long rejectedFlows)
    {
        var index = IndexOf(dimension);
        if (index < 0)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "This board does not track the dimension.");
        var at = index * MetricCount;
        AddTo(at, key, bytes);
        AddTo(at + 1, key, packets);
        AddTo(at + 2, key, flows);
        AddTo(at + 3, key, rejectedFlows);
    }

    /// <summary>The summary for a dimension and metric; null when nothing was added to it (or untracked).</summary>
    public SpaceSaving<ContributorKey>? Get(Dimension dimension, Metric metric)
    {
        var index = IndexOf(dimension);
        var m = (int)metric - 1;
        if (index < 0 || m is < 0 or >= MetricCount) return null;
        return _summaries[(index * MetricCount) + m];
    }

    /// <summary>Empties the board for reuse by another minute, keeping its summaries' storage.</summary>
    public void Reset()
    {
        _totals = default;
        foreach (var summary in _summaries) summary?.Clear();
    }

    private void AddTo(int at, in ContributorKey key, long weight)
    {
        if (weight == 0) return;
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        (_summaries[at] ??= new SpaceSaving<ContributorKey>(Capacity)).Add(key, weight);
    }

    private int IndexOf(Dimension dimension)
    {
        var d = (int)dimension;
        return d > 0 && d < DimensionSlots ? _dimensionIndex[d] : -1;
    }
}
