using Orleans.Concurrency;

namespace FlowMesh.Grains;

/// <summary>Malformed records counted by one ingest process for one source (Firehose stream) and reason.</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.IngestErrorCount")]
public sealed record IngestErrorCount(
    [property: Id(0)] string Source,
    [property: Id(1)] string Reason,
    [property: Id(2)] long Count);

/// <summary>One malformed line kept for inspection, with where it came from and why it was rejected.</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.IngestErrorExample")]
public sealed record IngestErrorExample(
    [property: Id(0)] DateTimeOffset ReceivedAt,
    [property: Id(1)] string Source,
    [property: Id(2)] string RequestId,
    [property: Id(3)] int RecordIndex,
    [property: Id(4)] int LineNumber,
    [property: Id(5)] string Reason,
    [property: Id(6)] string? Field,
    [property: Id(7)] string Message,
    [property: Id(8)] string Text);

/// <summary>What one ingest process has counted since it started, and its latest examples.</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.IngestErrorReport")]
public sealed record IngestErrorReport(
    [property: Id(0)] string ProcessId,
    [property: Id(1)] DateTimeOffset ReportedAt,
    [property: Id(2)] IReadOnlyList<IngestErrorCount> Counts,
    [property: Id(3)] IReadOnlyList<IngestErrorExample> Examples);

/// <summary>The cluster-wide view: counts summed over ingest processes, latest examples first.</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.IngestErrorSummary")]
public sealed record IngestErrorSummary(
    [property: Id(0)] long Total,
    [property: Id(1)] IReadOnlyList<IngestErrorCount> Counts,
    [property: Id(2)] IReadOnlyList<IngestErrorExample> Latest,
    [property: Id(3)] int IngestProcesses);

/// <summary>
/// Collects malformed-record reports from every ingest process (each sends its cumulative counts
/// and recent examples every few seconds), so the query role — possibly another process — can show them.
/// </summary>
[Alias("flowmesh.IIngestErrorsGrain")]
public interface IIngestErrorsGrain : IGrainWithStringKey
{
    [Alias("Report")]
    Task ReportAsync(IngestErrorReport report);

    [ReadOnly, Alias("GetSummary")]
    Task<IngestErrorSummary> GetSummaryAsync(int limit);
}
