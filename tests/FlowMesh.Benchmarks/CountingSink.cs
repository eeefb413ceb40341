using FlowMesh.FlowLogs;

namespace FlowMesh.Benchmarks;

/// <summary>Touches each record (so nothing is optimised away) and counts.</summary>
internal sealed class CountingSink : IFlowRecordSink
{
    public int Records { get; set; }
    public int Malformed { get; set; }
    public long Bytes { get; set; }

    public void OnRecord(in FlowRecord record)
    {
        Records++;
        Bytes += record.Bytes;
    }

    public void OnMalformed(in MalformedLine malformed) => Malformed++;

    public void OnControlMessage()
    {
    }
}
