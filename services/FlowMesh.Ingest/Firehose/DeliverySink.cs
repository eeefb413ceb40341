using FlowMesh.FlowLogs;
using FlowMesh.Ingest.Pipeline;

namespace FlowMesh.Ingest.Firehose;

/// <summary>
/// What the decoder writes one request into: forwards everything to the pipeline's batch and
/// remembers the malformed lines (with the record they came from) and control messages, which
/// are published to <see cref="MalformedRecordLog"/> and metrics only once the batch is applied,
/// so a delivery Firehose retries is not counted twice.
/// </summary>
internal sealed class DeliverySink(IDeliveryBatch batch) : IFlowRecordSink
{
    private readonly List<(int RecordIndex, MalformedLine Line)> _malformed = [];

    /// <summary>Index of the Firehose record being decoded.</summary>
    public int RecordIndex { get; set; }

    public int Records { get; private set; }

    public int ControlMessages { get; private set; }

    public IReadOnlyList<(int RecordIndex, MalformedLine Line)> Malformed => _malformed;

    public void OnRecord(in FlowRecord record)
    {
        Records++;
        batch.OnRecord(in record);
    }

    public void OnMalformed(in MalformedLine malformed)
    {
        _malformed.Add((RecordIndex, malformed));
        batch.OnMalformed(in malformed);
    }

    public void OnControlMessage()
    {
        ControlMessages++;
        batch.OnControlMessage();
    }
}
