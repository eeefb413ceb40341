namespace FlowMesh.Grains.Views;

/// <summary>
/// The flush ids a grain has applied, remembered so a retried grain call (same flush id) is
/// recognised and not counted twice.
/// </summary>
/// <remarks>
/// <para>An id is forgotten when its source says the flush is settled (<see cref="FlushSequence.SettledBelow"/>
/// of a later delta from the same ingest process: that flush will never be sent again), or at the
/// latest after the retention. In normal operation a grain therefore holds one or two ids per ingest
/// process. Only while a flush stays unsettled (a grain call failed and is being retried, for up to
/// <c>FlowMesh:Ingest:PendingFlushRetention</c>) do the ids from it onwards pile up, ~64 B each.
/// Remembering every id for the whole retention instead cost flush rate × retention per grain:
/// 5 flushes/s for 30 min is 9,000 ids, ~880 KB with the tables' spare room for every grain that sees
/// traffic in most flushes (<c>FlowMesh.Benchmarks --memory-per-grain</c>; 688 B now).</para>
/// <para>Ids without a source (<c>default</c> sequence) are kept for the full retention.</para>
/// </remarks>
internal sealed class AppliedFlushes(TimeSpan retention)
{
    private const int TrimAbove = 256;

    private readonly HashSet<Guid> _ids = [];
    // Per source, in arrival order (so also in expiry order, and nearly in flush-number order).
    private readonly Dictionary<Guid, Queue<Remembered>> _bySource = [];
    private int _highWater;

    /// <summary>Flush ids remembered now.</summary>
    public int Count => _ids.Count;

    /// <summary>Whether the id was applied and is still remembered (does not record it).</summary>
    public bool Contains(Guid flushId, DateTimeOffset now)
    {
        Prune(now);
        return _ids.Contains(flushId);
    }

    /// <summary>Records the id; false when it was already applied. Forgets what the sequence says is settled.</summary>
    public bool TryAdd(Guid flushId, FlushSequence sequence, DateTimeOffset now)
    {
        Prune(now);
        if (sequence.Source != Guid.Empty && _bySource.TryGetValue(sequence.Source, out var settled))
            ForgetSettled(settled, sequence.SettledBelow);
        if (!_ids.Add(flushId)) return false;
        if (!_bySource.TryGetValue(sequence.Source, out var queue)) _bySource[sequence.Source] = queue = new Queue<Remembered>();
        queue.Enqueue(new Remembered(flushId, sequence.Number, (now + retention).UtcTicks));
        _highWater = Math.Max(_highWater, _ids.Count);
        return true;
    }

    private void ForgetSettled(Queue<Remembered> queue, long settledBelow)
    {
        // Stops at the first id not yet settled; a retried older flush that arrived after it waits
        // for it (or for the retention), which only delays forgetting.
        while (queue.TryPeek(out var head) && head.Number < settledBelow)
        {
            queue.Dequeue();
            _ids.Remove(head.Id);
        }
        TrimAfterBacklog();
    }

    private void Prune(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        foreach (var (source, queue) in _bySource)
        {
            while (queue.TryPeek(out var head) && head.ExpiresAt <= ticks)
            {
                queue.Dequeue();
                _ids.Remove(head.Id);
            }
            // A source that went quiet (a stopped ingest process) is dropped with its last id.
            if (queue.Count == 0) _bySource.Remove(source);
        }
        TrimAfterBacklog();
    }

    /// <summary>Gives back the storage a backlog (an unsettled flush, or unsequenced ids) grew, once it is mostly gone.</summary>
    private void TrimAfterBacklog()
    {
        if (_highWater <= TrimAbove || _ids.Count > _highWater / 4) return;
        _ids.TrimExcess();
        foreach (var queue in _bySource.Values) queue.TrimExcess();
        _highWater = _ids.Count;
    }

    private readonly record struct Remembered(Guid Id, long Number, long ExpiresAt);
}
