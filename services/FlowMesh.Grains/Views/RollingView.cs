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
    // Boards with a batch open during an apply: each minute's adds are summed per key and reach its
    // summaries once per key when the apply ends (see ContributorBoard.BeginBatch).
    private readonly List<ContributorBoard> _batching = [];
    private readonly int _capacity;
    private readonly Dictionary<TopContributorsQuery, (long NowMinute, TopContributorsSnapshot Snapshot)> _cache = [];

    public RollingView(IReadOnlyList<Dimension> dimensions, int capacity)
    {
        _capacity = capacity;
        _minutes = new RollingMinutes<ContributorBoard>(RetainedMinutes, FutureToleranceMinutes, _ => new ContributorBoard(dimensions, capacity), board => board.Reset());
    }

    /// <summary>Changes exactly when committed data changes: once per <see cref="Commit"/> after rows were applied.</summary>
    public long Version { get; private set; }

    public DateTimeOffset? LastUpdated { get; private set; }

    public long LateFlows { get; private set; }

    public long FutureFlows { get; private set; }

    /// <summary>Whether rows were applied since the last <see cref="Commit"/> (a chunked apply is in progress).</summary>
    public bool HasUncommittedRows { get; private set; }

    /// <summary>Applies the rows the projector accepts, by event time, and commits them; returns the flows applied.</summary>
    public long Apply<TProjector>(ReadOnlySpan<FlowRow> rows, DateTimeOffset now, ref TProjector projector)
        where TProjector : struct, IRowProjector
    {
        var applied = ApplyUncommitted(rows, now, ref projector);
        Commit(now);
        return applied;
    }

    /// <summary>
    /// Applies rows without publishing them: <see cref="Version"/>, <see cref="LastUpdated"/> and the cached
    /// answers stay those of the last commit until <see cref="Commit"/>. Meanwhile a query gets its cached
    /// answer when it has one (the data as of the last commit), or one computed from the rows applied so far,
    /// which is not cached.
    /// </summary>
    public long ApplyUncommitted<TProjector>(ReadOnlySpan<FlowRow> rows, DateTimeOffset now, ref TProjector projector)
        where TProjector : struct, IRowProjector
    {
        var nowMinute = EventMinute.FromTime(now);
        long applied = 0;
        ContributorBoard? last = null;
        try
        {
            foreach (ref readonly var row in rows)
            {
                if (!projector.Accepts(in row)) continue;
                switch (_minutes.TryGetBucket(row.Key.Minute, nowMinute, out var board))
                {
                    case BucketResult.Applied:
                        if (!ReferenceEquals(board, last))
                        {
                            last = board;
                            if (board!.BeginBatch()) _batching.Add(board);
                        }
                        projector.Project(board!, in row);
                        applied += row.Flows;
                        HasUncommittedRows = true;
                        break;
                    case BucketResult.Late:
                        LateFlows += row.Flows;
                        break;
                    default:
                        FutureFlows += row.Flows;
                        break;
                }
            }
        }
        finally
        {
            foreach (var board in _batching) board.EndBatch();
            _batching.Clear();
        }
        return applied;
    }

    /// <summary>Publishes the rows applied since the last commit, if any: a new version, and no cached answer from before.</summary>
    public void Commit(DateTimeOffset now)
    {
        if (!HasUncommittedRows) return;
        HasUncommittedRows = false;
        Version++;
        LastUpdated = now;
        _cache.Clear();
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
        // An answer that includes uncommitted rows is not the committed version's answer: not cached.
        if (!HasUncommittedRows) _cache[query] = (nowMinute, snapshot);
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
