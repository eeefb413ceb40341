using System.Buffers;
using System.Runtime.InteropServices;

namespace FlowMesh.Aggregation;

/// <summary>
/// Answers a window's top-N by merging its one-minute <see cref="ContributorBoard"/>s. Totals are
/// exact sums; values carry the merged Space-Saving bounds (see <see cref="SpaceSaving{TKey}.Merge"/>):
/// each listed value is within its ErrorBound above the truth, and any contributor not held has a
/// true value ≤ MaxError ≤ window total / capacity.
/// </summary>
public static class WindowQuery
{
    /// <param name="buckets">The window's boards (e.g. <see cref="RollingMinutes{TBucket}.InWindow"/>).</param>
    /// <param name="dimension">What is ranked (source address, port, …).</param>
    /// <param name="metric">What it is ranked by; shares are of the window total of this metric.</param>
    /// <param name="limit">How many contributors to list.</param>
    /// <param name="capacity">Keys kept while merging; at least <paramref name="limit"/> for useful bounds.</param>
    public static TopContributors Top(IEnumerable<ContributorBoard> buckets, Dimension dimension, Metric metric, int limit, int capacity)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);

        // The union of the window's summaries for this dimension and metric, read in place from each
        // board: exactly SpaceSaving.Merge of standalone copies (see Merge for the bounds), without making
        // the copies (an array, an index and a heap per minute; 60 of them for an hour) or the merged
        // summary, and without sorting the whole union: only the capacity + 1 best are needed, selected
        // with a bounded heap. The union table is reused by the thread's next query (this method does not
        // await, so nothing else uses it meanwhile); together these keep a 60-minute query off the
        // large-object heap, where each query used to start background collections under load.
        var union = t_union ?? new Dictionary<ContributorKey, Accumulator>();
        t_union = null;
        try
        {
            var totals = default(FlowTotals);
            long absentBound = 0;
            var allExact = true;
            foreach (var board in buckets)
            {
                totals.Add(board.Totals);
                if (board.Summary(dimension) is not { } summary) continue;
                var count = summary.Count(metric);
                if (count == 0) continue;
                // What this part may hold for a key it does not list: nothing when it is exact.
                var exact = summary.IsExact(metric);
                var bound = exact ? 0 : summary.MinCount(metric);
                absentBound += bound;
                allExact &= exact;
                for (var i = 0; i < count; i++)
                {
                    var e = summary.EntryAt(metric, i);
                    ref var acc = ref CollectionsMarshal.GetValueRefOrAddDefault(union, e.Key, out _);
                    acc.Count += e.Count;
                    acc.Error += e.Error;
                    acc.BoundCovered += bound;
                }
            }

            // The best min(union, capacity + 1) by rank, best first: the kept summary and the best key it drops.
            var selected = (int)Math.Min(union.Count, (long)capacity + 1);
            var best = ArrayPool<Estimate<ContributorKey>>.Shared.Rent(Math.Max(selected, 1));
            try
            {
                SelectBest(union, absentBound, best.AsSpan(0, selected));

                var floor = absentBound;
                var kept = selected;
                if (union.Count > capacity)
                {
                    // A dropped key's true weight is at most its Count, and ranks are by Count descending.
                    floor = Math.Max(floor, best[capacity].Count);
                    allExact = false;
                    kept = capacity;
                }
                // MinCount of the kept summary: its floor, or its smallest Count once it is full.
                var minCount = kept < capacity ? floor : Math.Max(floor, best[kept - 1].Count);

                var total = totals.Of(metric);
                var items = new Contributor[Math.Min(limit, kept)];
                for (var i = 0; i < items.Length; i++)
                {
                    var e = best[i];
                    items[i] = new Contributor(e.Key, e.Count, e.Error, total == 0 ? 0 : (double)e.Count / total);
                }
                return new TopContributors(items, totals, allExact, allExact ? 0 : minCount);
            }
            finally
            {
                ArrayPool<Estimate<ContributorKey>>.Shared.Return(best, clearArray: true);
            }
        }
        finally
        {
            if (union.Count <= ReusedUnionEntries)
            {
                union.Clear();
                t_union = union;
            }
        }
    }

    /// <summary>Largest union a thread keeps for its next query (about 1 MB); a larger one is left to the collector.</summary>
    private const int ReusedUnionEntries = 16_384;

    [ThreadStatic]
    private static Dictionary<ContributorKey, Accumulator>? t_union;

    /// <summary>Fills <paramref name="best"/> with the union's best estimates by rank, best first.</summary>
    private static void SelectBest(Dictionary<ContributorKey, Accumulator> union, long absentBound, Span<Estimate<ContributorKey>> best)
    {
        if (best.IsEmpty) return;
        // A heap whose root is the worst of those held: a better estimate replaces it.
        var n = 0;
        foreach (var (key, acc) in union)
        {
            // Each part lacking the key contributes its bound: the total bound minus those that list it.
            var charge = absentBound - acc.BoundCovered;
            var estimate = new Estimate<ContributorKey>(key, acc.Count + charge, acc.Error + charge);
            if (n < best.Length)
            {
                best[n++] = estimate;
                if (n == best.Length)
                {
                    for (var i = (n / 2) - 1; i >= 0; i--) SiftDown(best, i);
                }
            }
            else if (EstimateRank<ContributorKey>.Compare(estimate, best[0]) < 0)
            {
                best[0] = estimate;
                SiftDown(best, 0);
            }
        }
        best.Sort(EstimateRank<ContributorKey>.Comparison);
    }

    private static void SiftDown(Span<Estimate<ContributorKey>> heap, int i)
    {
        while (true)
        {
            var worst = i;
            var left = (2 * i) + 1;
            var right = left + 1;
            if (left < heap.Length && EstimateRank<ContributorKey>.Compare(heap[left], heap[worst]) > 0) worst = left;
            if (right < heap.Length && EstimateRank<ContributorKey>.Compare(heap[right], heap[worst]) > 0) worst = right;
            if (worst == i) return;
            (heap[i], heap[worst]) = (heap[worst], heap[i]);
            i = worst;
        }
    }

    private struct Accumulator
    {
        public long Count;
        public long Error;
        public long BoundCovered;
    }

    /// <summary>The top-N over a window of a ring of boards, as seen at <paramref name="nowMinute"/>.</summary>
    public static TopContributors Top(RollingMinutes<ContributorBoard> minutes, long nowMinute, Window window, Dimension dimension, Metric metric, int limit, int capacity)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        return Top(minutes.InWindow(nowMinute, window.Minutes()).Select(b => b.Bucket), dimension, metric, limit, capacity);
    }
}
