namespace FlowMesh.Ingest.Pipeline;

/// <summary>
/// A flush some of whose grain calls failed. It keeps the failed calls (each idempotent by the
/// flush id) and the request ids it holds; a Firehose retry of any of those requests, or the
/// background retry, completes it by re-sending only those calls, then records the request ids
/// as applied. Nothing is applied twice: grains that already have the flush ignore it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "SemaphoreSlim needs disposing only when its AvailableWaitHandle is used, which it is not.")]
internal sealed class PendingFlush(Guid flushId, long number, IReadOnlyList<string> requestIds, IReadOnlyList<GrainCall> failedCalls, DateTimeOffset createdAt)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<GrainCall> _remaining = failedCalls;
    private bool _applied;

    public Guid FlushId { get; } = flushId;
    /// <summary>The flush's number in this process (<see cref="FlushNumbering"/>).</summary>
    public long Number { get; } = number;
    public IReadOnlyList<string> RequestIds { get; } = requestIds;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public int RemainingCalls => _remaining.Count;
    public bool IsApplied => Volatile.Read(ref _applied);

    /// <summary>Re-sends the remaining calls and marks the requests applied; true once the flush is complete.</summary>
    public async Task<bool> TryCompleteAsync(Func<IReadOnlyList<GrainCall>, Task<IReadOnlyList<GrainCall>>> execute, Func<IReadOnlyList<string>, Task> markApplied)
    {
        await _gate.WaitAsync();
        try
        {
            if (_applied) return true;
            if (_remaining.Count > 0) _remaining = await execute(_remaining);
            if (_remaining.Count > 0) return false;
            await markApplied(RequestIds);
            Volatile.Write(ref _applied, true);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }
}
