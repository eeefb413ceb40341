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
            Apply(entry.Delta, entry.AppliedAt);
    }

    public async Task<ApplyResult> ApplyAsync(FlowDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var now = time.GetUtcNow();
        if (_flushes.Contains(delta.FlushId, now)) return new ApplyResult(true, 0, 0, 0, _views.Main.Version);
        // Journaled before memory changes and before the answer: acknowledged means replayable.
        await _journal.AppendAsync(this.GetGrainId(), new AppliedDeltaEntry(now.UtcTicks, delta), _journalRetention);
        return Apply(delta, now);
    }

    private ApplyResult Apply(FlowDelta delta, DateTimeOffset now)
    {
        if (!_flushes.TryAdd(delta.FlushId, now)) return new ApplyResult(true, 0, 0, 0, _views.Main.Version);
        var (late, future) = (_views.Main.LateFlows, _views.Main.FutureFlows);
        var projector = new LeaderboardProjector();
        var applied = _views.Apply(delta.Rows.Span, now, ref projector);
        return new ApplyResult(false, applied, _views.Main.LateFlows - late, _views.Main.FutureFlows - future, _views.Main.Version);
    }

    public Task<TopContributorsSnapshot> GetTopContributorsAsync(TopContributorsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Task.FromResult(_views.Top(this.GetPrimaryKeyString(), query, time.GetUtcNow()));
    }

    public Task<long> GetVersionAsync() => Task.FromResult(_views.Main.Version);
}
