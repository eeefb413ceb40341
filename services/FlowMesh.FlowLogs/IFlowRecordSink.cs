namespace FlowMesh.FlowLogs;

/// <summary>
/// Receives what a parser or payload decoder finds. Implemented as a struct or sealed class by
/// callers (the ingest batch combiner, the CLI, tests); generic callers avoid virtual dispatch.
/// </summary>
public interface IFlowRecordSink
{
    /// <summary>A well-formed record (including NODATA/SKIPDATA). The record is only valid during the call.</summary>
    void OnRecord(in FlowRecord record);

    /// <summary>A line or payload that could not be decoded. Never thrown: counted and kept by the caller.</summary>
    void OnMalformed(in MalformedLine malformed);

    /// <summary>A CloudWatch Logs CONTROL_MESSAGE envelope, which carries no flow records.</summary>
    void OnControlMessage();
}
