namespace FlowMesh.Grains.Durability;

/// <summary>How long journal entries are kept.</summary>
public static class JournalRetention
{
    /// <summary>
    /// Aggregation grains: a flush applied at time t holds rows up to two minutes ahead of t
    /// (the future tolerance), so 63 minutes later every one of its buckets has left the retained
    /// hour and replaying it would change nothing; the flush-id memory (30 min) is shorter still.
    /// The same 65 minutes as the idle lifetime, with a margin for clock differences.
    /// </summary>
    public static readonly TimeSpan Views = TimeSpan.FromMinutes(GrainLifetime.IdleMinutes);
}
