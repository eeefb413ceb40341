using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Ingest.Pipeline;

/// <summary>
/// One request's records, combined per key as they are decoded (a pooled combiner). Reference
/// counted: the caller holds one reference and a queued flush another, so a caller that gives up
/// waiting (timeout, disconnect) can dispose its batch while the flush still merges it.
/// </summary>
internal sealed class DeliveryBatch(string requestId, string? sourceArn, FlowBatchCombiner combiner, Action<FlowBatchCombiner> release, Action settled)
    : IDeliveryBatch
{
    private FlowBatchCombiner? _combiner = combiner;
    private int _references = 1;
    private int _callerReleased;
    private int _settled;

    public string RequestId { get; } = requestId;

    public string? SourceArn { get; } = sourceArn;

    public FlowBatchCombiner Combiner => _combiner ?? throw new ObjectDisposedException(nameof(DeliveryBatch));

    public int Records => Combiner.Records;

    public int Malformed => Combiner.Malformed;

    public int ControlMessages => Combiner.ControlMessages;

    public void OnRecord(in FlowRecord record) => Combiner.OnRecord(in record);

    public void OnMalformed(in MalformedLine malformed) => Combiner.OnMalformed(in malformed);

    public void OnControlMessage() => Combiner.OnControlMessage();

    /// <summary>Taken by the group commit when the batch is queued; released once merged into a flush.</summary>
    public void AddFlushReference() => Interlocked.Increment(ref _references);

    public void ReleaseFlushReference() => Release();

    /// <summary>The batch is queued for a flush, answered, or abandoned: a flush need not wait for it any more (once).</summary>
    public void Settle()
    {
        if (Interlocked.Exchange(ref _settled, 1) == 0) settled();
    }

    public void Dispose()
    {
        Settle();
        if (Interlocked.Exchange(ref _callerReleased, 1) == 0) Release();
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0) return;
        var c = Interlocked.Exchange(ref _combiner, null);
        if (c is not null) release(c);
    }
}
