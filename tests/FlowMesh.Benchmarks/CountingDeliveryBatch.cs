using FlowMesh.FlowLogs;
using FlowMesh.Ingest.Pipeline;

namespace FlowMesh.Benchmarks;

/// <summary>A delivery batch that only counts what the Firehose body walk hands it.</summary>
internal sealed class CountingDeliveryBatch : IDeliveryBatch
{
    public string RequestId => "bench";
    public int Records { get; set; }
    public int Malformed { get; private set; }
    public int ControlMessages { get; private set; }
    public void OnRecord(in FlowRecord record) => Records++;
    public void OnMalformed(in MalformedLine malformed) => Malformed++;
    public void OnControlMessage() => ControlMessages++;
    public void Dispose() { }
}
