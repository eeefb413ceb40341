namespace FlowMesh.Grains.Views;

/// <summary>
/// The flush ids a grain has applied, remembered for a retention period so a retried grain call
/// (same flush id) is recognised and not counted twice. Memory: ~48 B per flush received within
/// the retention, bounded by flush rate × retention (e.g. 5 flushes/s × 30 min ≈ 420 KB for the
/// hottest grain; cold grains hold a handful).
/// </summary>
internal sealed class AppliedFlushes(TimeSpan retention)
{
    private readonly HashSet<Guid> _ids = [];
    private readonly Queue<(Guid Id, long ExpiresAt)> _expiry = new();

    public int Count => _ids.Count;

    /// <summary>Whether the id was applied within the retention (does not record it).</summary>
    public bool Contains(Guid flushId, DateTimeOffset now)
    {
        Prune(now);
        return _ids.Contains(flushId);
    }

    /// <summary>Records the id; false when it was already applied.</summary>
    public bool TryAdd(Guid flushId, DateTimeOffset now)
    {
        Prune(now);
        if (!_ids.Add(flushId)) return false;
        _expiry.Enqueue((flushId, (now + retention).UtcTicks));
        return true;
    }

    private void Prune(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        while (_expiry.TryPeek(out var head) && head.ExpiresAt <= ticks)
        {
            _expiry.Dequeue();
            _ids.Remove(head.Id);
        }
    }
}
