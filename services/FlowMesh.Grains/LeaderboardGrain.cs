using FlowMesh.Grains.Durability;
using FlowMesh.Grains.Views;
using Microsoft.Extensions.Options;

namespace FlowMesh.Grains;

/// <summary>Top contributors of one scope (all, account:…, vpc:…) over the last hour.</summary>
[CollectionAgeLimit(Minutes = GrainLifetime.IdleMinutes)]
internal sealed class LeaderboardGrain(IOptions<AggregationOptions> options, TimeProvider time, IGrainJournal? journal = null, IOptions<DurabilityOptions>? durability = null) : Grain, ILeaderboardGrain
{
    private readonly ViewSet _views = new(LeaderboardProjector.Dimensions, options.Value.LeaderboardCapacity);
    private readonly AppliedFlushes _flushes = new(options.Value.FlushIdRetention);

    private readonly IGrainJournal _journal = journal ?? NoGrainJournal.Instance;
    private readonly TimeSpan _journalRetention = durability?.Value.ViewRetention ?? JournalRetention.Views;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in await _journal.ReadAsync<AppliedDeltaEntry>(this.GetGrainId(), cancellationToken))
            Replay(entry.Delta, entry.AppliedAt);
    }

    public async Task<ApplyResult> ApplyAsync(FlowDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var now = time.GetUtcNow();
        if (_flushes.Contains(delta.FlushId, now)) return new ApplyResult(true, 0, 0, 0, _views.Main.Version);
        // Journaled before memory changes and before the answer: acknowledged means replayable.
        await _journal.AppendAsync(this.GetGrainId(), new AppliedDeltaEntry(now.UtcTicks, delta), _journalRetention);
        if (!_flushes.TryAdd(delta.FlushId, delta.Sequence, now)) return new ApplyResult(true, 0, 0, 0, _views.Main.Version);

        // A scope's leaderboard receives every row of its scope ("all": every row of the flush), tens of
        // milliseconds of work for a large flush. Queries interleave ([AlwaysInterleave]), so the rows are
        // applied in chunks with a yield between them: a query waits for one chunk, not for the whole flush.
        // The flush is committed (a new version) at the end; a query in between gets the answer cached
        // for the previous version when there is one, else one computed from the rows applied so far.
        var (late, future) = (_views.Main.LateFlows, _views.Main.FutureFlows);
        var rows = delta.Rows;
        long applied = 0;
        try
        {
            for (var start = 0; start < rows.Length; start += ApplyChunkRows)
            {
                if (start > 0) await Task.Yield();
                var projector = new LeaderboardProjector();
                applied += _views.ApplyUncommitted(rows.Span.Slice(start, Math.Min(ApplyChunkRows, rows.Length - start)), now, ref projector);
            }
        }
        finally
        {
            _views.Commit(now);
        }
        return new ApplyResult(false, applied, _views.Main.LateFlows - late, _views.Main.FutureFlows - future, _views.Main.Version);
    }

    /// <summary>Rows applied per turn: about a millisecond of work, so queries between chunks wait little.</summary>
    internal const int ApplyChunkRows = 1024;

    private void Replay(FlowDelta delta, DateTimeOffset now)
    {
        if (!_flushes.TryAdd(delta.FlushId, delta.Sequence, now)) return;
        var projector = new LeaderboardProjector();
        _views.Apply(delta.Rows.Span, now, ref projector);
    }

    public Task<TopContributorsSnapshot> GetTopContributorsAsync(TopContributorsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Task.FromResult(_views.Top(this.GetPrimaryKeyString(), query, time.GetUtcNow()));
    }

    public Task<long> GetVersionAsync() => Task.FromResult(_views.Main.Version);
}
