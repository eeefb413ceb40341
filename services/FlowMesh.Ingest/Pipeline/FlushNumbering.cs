using FlowMesh.Grains;

namespace FlowMesh.Ingest.Pipeline;

/// <summary>
/// Numbers this process's flushes and tracks which are settled (applied by every grain, or given
/// up), so each delta can tell grains below which number nothing will be sent again
/// (<see cref="FlushSequence"/>). Thread-safe: flushes are opened by the group commit's loop and
/// settled there or by a pending flush's retry.
/// </summary>
internal sealed class FlushNumbering
{
    private readonly Guid _source = Guid.NewGuid();
    private readonly SortedSet<long> _unsettled = [];
    private readonly Lock _lock = new();
    private long _last;

    /// <summary>Numbers opened and not yet settled.</summary>
    public int Unsettled
    {
        get
        {
            lock (_lock) return _unsettled.Count;
        }
    }

    /// <summary>Opens the next flush: its number, and the lowest number still unsettled (its own at the latest).</summary>
    public FlushSequence Open()
    {
        lock (_lock)
        {
            var number = ++_last;
            _unsettled.Add(number);
            return new FlushSequence(_source, number, _unsettled.Min);
        }
    }

    /// <summary>The flush will not be sent again (every call applied, or given up). Idempotent.</summary>
    public void Settle(long number)
    {
        lock (_lock) _unsettled.Remove(number);
    }
}
