using FlowMesh.Grains.Views;
using Microsoft.Extensions.Options;

namespace FlowMesh.Grains;

/// <summary>Top contributors of one scope (all, account:…, vpc:…) over the last hour.</summary>
[CollectionAgeLimit(Minutes = GrainLifetime.IdleMinutes)]
internal sealed class LeaderboardGrain(IOptions<AggregationOptions> options, TimeProvider time) : Grain, ILeaderboardGrain
{
    private readonly RollingView _view = new(LeaderboardProjector.Dimensions, options.Value.LeaderboardCapacity);
    private readonly AppliedFlushes _flushes = new(options.Value.FlushIdRetention);

    public Task<ApplyResult> ApplyAsync(FlowDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var now = time.GetUtcNow();
        if (!_flushes.TryAdd(delta.FlushId, now))
            return Task.FromResult(new ApplyResult(true, 0, 0, 0, _view.Version));
        var (late, future) = (_view.LateFlows, _view.FutureFlows);
        var projector = new LeaderboardProjector();
        var applied = _view.Apply(delta.Rows, now, ref projector);
        return Task.FromResult(new ApplyResult(false, applied, _view.LateFlows - late, _view.FutureFlows - future, _view.Version));
    }

    public Task<TopContributorsSnapshot> GetTopContributorsAsync(TopContributorsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Task.FromResult(_view.Top(this.GetPrimaryKeyString(), query, time.GetUtcNow()));
    }

    public Task<long> GetVersionAsync() => Task.FromResult(_view.Version);
}
