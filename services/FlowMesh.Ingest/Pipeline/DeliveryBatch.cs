using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Ingest.Pipeline;

/// <summary>One request's records, combined per key as they are decoded (a pooled combiner).</summary>
internal sealed class DeliveryBatch(string requestId, string? sourceArn, FlowBatchCombiner combiner, Action<FlowBatchCombiner> release)
    : IDeliveryBatch
{
    private FlowBatchCombiner? _combiner = combiner;

    public string RequestId { get; } = requestId;

    public string? SourceArn { get; } = sourceArn;

    public FlowBatchCombiner Combiner => _combiner ?? throw new ObjectDisposedException(nameof(DeliveryBatch));

    public int Records => Combiner.Records;

    public int Malformed => Combiner.Malformed;

    public int ControlMessages => Combiner.ControlMessages;

    public void OnRecord(in FlowRecord record) => Combiner.OnRecord(in record);

    public void OnMalformed(in MalformedLine malformed) => Combiner.OnMalformed(in malformed);

    public void OnControlMessage() => Combiner.OnControlMessage();

    public void Dispose()
    {
        var c = Interlocked.Exchange(ref _combiner, null);
        if (c is not null) release(c);
    }
}
