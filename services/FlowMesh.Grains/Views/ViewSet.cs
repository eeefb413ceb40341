using FlowMesh.Aggregation;
using FlowMesh.Aggregation.Batching;

namespace FlowMesh.Grains.Views;

/// <summary>
/// A grain's main <see cref="RollingView"/> plus filtered views created on demand. Heavy-hitter
/// summaries cannot be filtered after the fact, so the first query with a new filter creates a
/// view for it, fed from then on; its answers say so through CoverageStartUnix. At most
/// <see cref="MaxFilters"/> filtered views are kept (the least recently queried is dropped), so
/// memory stays bounded whatever clients ask for.
/// </summary>
internal sealed class ViewSet(IReadOnlyList<Dimension> dimensions, int capacity)
{
    public const int MaxFilters = 8;

    private readonly Dictionary<FlowFilter, Filtered> _filtered = [];

    public RollingView Main { get; } = new(dimensions, capacity);

    public int FilteredViews => _filtered.Count;

    /// <summary>Applies rows to every view and commits them (see <see cref="RollingView.Apply"/>).</summary>
    public long Apply<TProjector>(ReadOnlySpan<FlowRow> rows, DateTimeOffset now, ref TProjector projector)
        where TProjector : struct, IRowProjector
    {
        var applied = ApplyUncommitted(rows, now, ref projector);
        Commit(now);
        return applied;
    }

    /// <summary>Applies rows to every view without publishing them (see <see cref="RollingView.ApplyUncommitted"/>).</summary>
    public long ApplyUncommitted<TProjector>(ReadOnlySpan<FlowRow> rows, DateTimeOffset now, ref TProjector projector)
        where TProjector : struct, IRowProjector
    {
        var applied = Main.ApplyUncommitted(rows, now, ref projector);
        foreach (var (filter, view) in _filtered)
        {
            var filtered = new FilteredProjector<TProjector>(filter, projector);
            view.View.ApplyUncommitted(rows, now, ref filtered);
        }
        return applied;
    }

    /// <summary>Commits every view's uncommitted rows.</summary>
    public void Commit(DateTimeOffset now)
    {
        Main.Commit(now);
        foreach (var view in _filtered.Values) view.View.Commit(now);
    }

    /// <summary>The view that answers a query: the main one, or the filter's (created if new).</summary>
    public (RollingView View, long CoverageStartUnix) For(FlowFilter? filter, DateTimeOffset now)
    {
        if (filter is null || filter.IsEmpty) return (Main, 0);
        // Creating a view inside a [ReadOnly] call is safe: grain turns are single-threaded and
        // this method does not await, so no other call observes a half-made view.
        if (!_filtered.TryGetValue(filter, out var entry))
        {
            if (_filtered.Count >= MaxFilters)
                _filtered.Remove(_filtered.MinBy(p => p.Value.LastUsedTicks).Key);
            entry = new Filtered(new RollingView(dimensions, capacity), now.ToUnixTimeSeconds());
            _filtered[filter] = entry;
        }
        entry.LastUsedTicks = now.UtcTicks;
        return (entry.View, entry.CoverageStartUnix);
    }

    /// <summary>Top contributors; versions follow the main view, which changes whenever any data does.</summary>
    public TopContributorsSnapshot Top(string scope, TopContributorsQuery query, DateTimeOffset now)
    {
        var (view, coverage) = For(query.Filter, now);
        var snapshot = view.Top(scope, query, now);
        return ReferenceEquals(view, Main) ? snapshot : snapshot with { Version = Main.Version, LastUpdated = Main.LastUpdated, CoverageStartUnix = coverage };
    }

    private sealed class Filtered(RollingView view, long coverageStartUnix)
    {
        public RollingView View { get; } = view;
        public long CoverageStartUnix { get; } = coverageStartUnix;
        public long LastUsedTicks { get; set; }
    }
}
