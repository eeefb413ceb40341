using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FlowMesh.Aggregation;

namespace FlowMesh.Grains.Views;

/// <summary>
/// Sums one apply's contributions per (board, dimension, key) before any summary is touched, so a
/// key that many rows of a flush share — port 443, protocol 6, the interface itself, a busy client —
/// updates each Space-Saving summary once per flush instead of once per row. Space-Saving's bounds
/// hold for any order and grouping of weighted adds, and totals are added exactly, unbuffered.
/// </summary>
/// <remarks>
/// One buffer per thread (<see cref="ForThisThread"/>): a grain turn runs on one thread and
/// <see cref="RollingView.Apply"/> never awaits, so the buffer is private to one apply, and idle
/// grains hold no scratch memory.
/// </remarks>
internal sealed class ContributionBuffer
{
    /// <summary>
    /// Deltas with fewer rows go straight to the boards: too few repeats to repay the summing
    /// (settable so ViewApplyBenchmarks can compare thresholds; nothing else changes it).
    /// </summary>
    public static int MinRows { get; set; } = 256;

    // A flush larger than this leaves its table trimmed back, so a spike does not pin memory per thread.
    private const int RetainedEntries = 16_384;

    [ThreadStatic]
    private static ContributionBuffer? s_current;

    private readonly Dictionary<Contribution, Weights> _sums = [];

    public static ContributionBuffer ForThisThread() => s_current ??= new ContributionBuffer();

    public int Count => _sums.Count;

    public void Add(ContributorBoard board, Dimension dimension, in ContributorKey key, long bytes, long packets, long flows, long rejectedFlows)
    {
        ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(_sums, new Contribution(board, dimension, key), out _);
        sum.Bytes += bytes;
        sum.Packets += packets;
        sum.Flows += flows;
        sum.RejectedFlows += rejectedFlows;
    }

    /// <summary>Credits every summed contribution to its board, then empties the buffer.</summary>
    public void Flush()
    {
        try
        {
            foreach (var (c, w) in _sums) c.Board.Add(c.Dimension, in c.Key, w.Bytes, w.Packets, w.Flows, w.RejectedFlows);
        }
        finally
        {
            Discard();
        }
    }

    /// <summary>Drops anything buffered (after a failed apply), so it can never reach another grain's boards.</summary>
    public void Discard()
    {
        var large = _sums.Count > RetainedEntries;
        _sums.Clear();
        if (large) _sums.TrimExcess(RetainedEntries);
    }

    private readonly struct Contribution(ContributorBoard board, Dimension dimension, ContributorKey key) : IEquatable<Contribution>
    {
        public readonly ContributorBoard Board = board;
        public readonly Dimension Dimension = dimension;
        public readonly ContributorKey Key = key;

        public bool Equals(Contribution other) =>
            ReferenceEquals(Board, other.Board) && Dimension == other.Dimension && Key.Equals(other.Key);

        public override bool Equals(object? obj) => obj is Contribution other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Board), Dimension, Key);
    }

    private struct Weights
    {
        public long Bytes;
        public long Packets;
        public long Flows;
        public long RejectedFlows;
    }
}
