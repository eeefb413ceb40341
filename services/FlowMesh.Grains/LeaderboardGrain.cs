using FlowMesh.Grains.Views;
using Microsoft.Extensions.Options;

namespace FlowMesh.Grains;

/// <summary>Top contributors of one scope (all, account:…, vpc:…) over the last hour.</summary>
[CollectionAgeLimit(Minutes = GrainLifetime.IdleMinutes)]
internal sealed class LeaderboardGrain(IOptions<AggregationOptions> options, TimeProvider time) : Grain, ILeaderboardGrain
{
    private readonly ViewSet _views = new(LeaderboardProjector.Dimensions, options.Value.LeaderboardCapacity);
    private readonly AppliedFlushes _flushes = new(options.Value.FlushIdRetention);

    public Task<ApplyResult> ApplyAsync(FlowDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var now = time.GetUtcNow();
        if (!_flushes.TryAdd(delta.FlushId, now))
            return Task.FromResult(new ApplyResult(true, 0, 0, 0, _views.Main.Version));
        var (late, future) = (_views.Main.LateFlows, _views.Main.FutureFlows);
        var projector = new LeaderboardProjector();
        var applied = _views.Apply(delta.Rows, now, ref projector);
        return Task.FromResult(new ApplyResult(false, applied, _views.Main.LateFlows - late, _views.Main.FutureFlows - future, _views.Main.Version));
    }

    public Task<TopContributorsSnapshot> GetTopContributorsAsync(TopContributorsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Task.FromResult(_views.Top(this.GetPrimaryKeyString(), query, time.GetUtcNow()));
    }

    public Task<long> GetVersionAsync() => Task.FromResult(_views.Main.Version);
}
