namespace FlowMesh.FlowLogs.Tests;

/// <summary>Keeps everything a parser or decoder reports, in order.</summary>
public sealed class RecordingSink : IFlowRecordSink
{
    public List<FlowRecord> Records { get; } = [];
    public List<MalformedLine> Malformed { get; } = [];
    public int ControlMessages { get; private set; }

    public void OnRecord(in FlowRecord record) => Records.Add(record);

    public void OnMalformed(in MalformedLine malformed) => Malformed.Add(malformed);

    public void OnControlMessage() => ControlMessages++;
}

/// <summary>Counts only: what the allocation test and benchmarks need.</summary>
public sealed class CountingSink : IFlowRecordSink
{
    public int Records { get; private set; }
    public int Malformed { get; private set; }
    public long Bytes { get; private set; }

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
