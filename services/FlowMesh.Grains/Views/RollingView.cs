using FlowMesh.Aggregation;
using FlowMesh.Aggregation.Batching;

namespace FlowMesh.Grains.Views;

/// <summary>Adds one row to one minute's board; a struct so the apply loop has no delegate calls.</summary>
internal interface IRowProjector
{
    /// <summary>Whether the row belongs to this view at all (an address's role, a query filter).</summary>
    bool Accepts(in FlowRow row);

    void Project(ContributorBoard board, in FlowRow row);
}

/// <summary>A projector restricted to the rows a filter matches (filtered views), without copying rows.</summary>
internal readonly struct FilteredProjector<TInner>(FlowFilter filter, TInner inner) : IRowProjector
    where TInner : struct, IRowProjector
{
    public bool Accepts(in FlowRow row) => inner.Accepts(in row) && filter.Matches(in row);

    public void Project(ContributorBoard board, in FlowRow row) => inner.Project(board, in row);
}

/// <summary>
/// One rolling hour of one-minute <see cref="ContributorBoard"/>s by event time, with a data
/// version and a snapshot cache. Grain-agnostic: the grains decide which rows go in and how a
/// row maps to dimensions (an <see cref="IRowProjector"/>). Not thread-safe; grains are.
/// </summary>
internal sealed class RollingView
{
    public const int RetainedMinutes = 60;
    public const int FutureToleranceMinutes = 2;

    private readonly RollingMinutes<ContributorBoard> _minutes;
    private readonly int _capacity;
    private readonly Dictionary<TopContributorsQuery, (long NowMinute, TopContributorsSnapshot Snapshot)> _cache = [];

    public RollingView(IReadOnlyList<Dimension> dimensions, int capacity)
    {
        _capacity = capacity;
        _minutes = new RollingMinutes<ContributorBoard>(RetainedMinutes, FutureToleranceMinutes, _ => new ContributorBoard(dimensions, capacity), board => board.Reset());
    }

    /// <summary>Changes exactly when applied data changes.</summary>
    public long Version { get; private set; }

    public DateTimeOffset? LastUpdated { get; private set; }

    public long LateFlows { get; private set; }

    public long FutureFlows { get; private set; }

    /// <summary>Applies the rows the projector accepts, by event time; returns the flows applied.</summary>
    public long Apply<TProjector>(ReadOnlySpan<FlowRow> rows, DateTimeOffset now, ref TProjector projector)
        where TProjector : struct, IRowProjector
    {
        var nowMinute = EventMinute.FromTime(now);
        long applied = 0;
        var changed = false;
        foreach (ref readonly var row in rows)
        {
            if (!projector.Accepts(in row)) continue;
            switch (_minutes.TryGetBucket(row.Key.Minute, nowMinute, out var board))
            {
                case BucketResult.Applied:
                    projector.Project(board!, in row);
                    applied += row.Flows;
                    changed = true;
                    break;
                case BucketResult.Late:
                    LateFlows += row.Flows;
                    break;
                default:
                    FutureFlows += row.Flows;
                    break;
            }
        }
        if (changed)
        {
            Version++;
            LastUpdated = now;
            _cache.Clear();
        }
        return applied;
    }

    public bool IsEmpty(DateTimeOffset now) => !_minutes.All(EventMinute.FromTime(now)).Any();

    public IEnumerable<ContributorBoard> InWindow(Window window, DateTimeOffset now) =>
        _minutes.InWindow(EventMinute.FromTime(now), window.Minutes()).Select(b => b.Bucket);

    public FlowTotals Totals(Window window, DateTimeOffset now)
    {
        var totals = default(FlowTotals);
        foreach (var board in InWindow(window, now)) totals.Add(in board.Totals);
        return totals;
    }

    public TopContributorsSnapshot Top(string scope, TopContributorsQuery query, DateTimeOffset now)
    {
        var nowMinute = EventMinute.FromTime(now);
        // Same data version and same minute → same answer; streams and dashboards repeat queries.
        if (_cache.TryGetValue(query, out var cached) && cached.NowMinute == nowMinute) return cached.Snapshot;
        var snapshot = Snapshot(scope, query, InWindow(query.Window, now), _capacity, Version, LastUpdated, now);
        _cache[query] = (nowMinute, snapshot);
        return snapshot;
    }

    /// <summary>Builds a snapshot from any set of boards (one view's window, or several views merged).</summary>
    public static TopContributorsSnapshot Snapshot(
        string scope, TopContributorsQuery query, IEnumerable<ContributorBoard> boards, int capacity,
        long version, DateTimeOffset? lastUpdated, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        var nowMinute = EventMinute.FromTime(now);
        var top = WindowQuery.Top(boards, query.Dimension, query.Metric, query.Limit, capacity);
        var contributors = top.Items
            .Select(c => new ContributorValue(c.Key, c.Key.Format(query.Dimension), c.Value, c.ErrorBound, c.Share))
            .ToArray();
        return new TopContributorsSnapshot(
            scope, query, version, lastUpdated,
            (nowMinute - query.Window.Minutes() + 1) * 60, (nowMinute + 1) * 60,
            contributors, TrafficTotals.From(top.Totals), top.Exact);
    }

    public int Capacity => _capacity;

    /// <summary>Top entries of one dimension by bytes, for summaries.</summary>
    public IReadOnlyList<ContributorValue> TopBy(Dimension dimension, Metric metric, Window window, int limit, DateTimeOffset now) =>
        Top("", new TopContributorsQuery(dimension, metric, window, limit), now).Contributors;
}
