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

        var totals = default(FlowTotals);
        var parts = new List<SpaceSaving<ContributorKey>>();
        foreach (var board in buckets)
        {
            totals.Add(board.Totals);
            if (board.Get(dimension, metric) is { Count: > 0 } summary) parts.Add(summary);
        }

        // A one-minute window reads its only summary as is: merging would just copy it.
        var merged = parts.Count == 1 && parts[0].Capacity <= capacity
            ? parts[0]
            : SpaceSaving<ContributorKey>.Merge(parts, capacity);

        var total = totals.Of(metric);
        var top = merged.Top(limit);
        var items = new Contributor[top.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var e = top[i];
            items[i] = new Contributor(e.Key, e.Count, e.Error, total == 0 ? 0 : (double)e.Count / total);
        }
        return new TopContributors(items, totals, merged.IsExact, merged.IsExact ? 0 : merged.MinCount);
    }

    /// <summary>The top-N over a window of a ring of boards, as seen at <paramref name="nowMinute"/>.</summary>
    public static TopContributors Top(RollingMinutes<ContributorBoard> minutes, long nowMinute, Window window, Dimension dimension, Metric metric, int limit, int capacity)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        return Top(minutes.InWindow(nowMinute, window.Minutes()).Select(b => b.Bucket), dimension, metric, limit, capacity);
    }
}
