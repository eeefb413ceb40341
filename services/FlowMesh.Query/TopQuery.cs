using FlowMesh.Grains;

namespace FlowMesh.Query;

/// <summary>A validated top-contributor request: the grain to ask and the grain query.</summary>
internal sealed record TopQuery(QueryTarget Target, TopContributorsQuery Query);

/// <summary>
/// A validated stream request. Equal keys share one upstream poller, so everything that changes
/// the answer or its timing (target, query with filter, interval) is part of the key.
/// </summary>
internal sealed record StreamKey(QueryTarget Target, TopContributorsQuery Query, TimeSpan Interval)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaximumInterval = TimeSpan.FromSeconds(60);
}
