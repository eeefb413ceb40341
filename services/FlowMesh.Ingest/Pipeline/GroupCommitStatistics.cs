using System.Diagnostics.Metrics;

namespace FlowMesh.Ingest.Pipeline;

/// <summary>
/// Counters of the group commit, read by benchmarks (grain calls per record is the number the
/// cost model cares about) and exported as OpenTelemetry metrics (meter <c>FlowMesh.Ingest</c>).
/// </summary>
public sealed class GroupCommitStatistics : IDisposable
{
    public const string MeterName = "FlowMesh.Ingest";

    private readonly Meter _meter;
    private readonly Histogram<double> _flushLatency;
    private long _flushes;
    private long _grainCalls;
    private long _failedGrainCalls;
    private long _records;
    private long _rows;
    private long _requests;
    private int _gathering;
    private FlushNumbering? _numbering; // the group commit's, for the unsettled-flushes gauge

    public GroupCommitStatistics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _flushLatency = _meter.CreateHistogram<double>("flowmesh.ingest.flush.duration", "ms", "Time to apply one flush to every grain");
        _meter.CreateObservableCounter("flowmesh.ingest.flushes", () => Flushes, description: "Flushes applied");
        _meter.CreateObservableCounter("flowmesh.ingest.grain_calls", () => GrainCalls, description: "Grain calls made by the group commit");
        _meter.CreateObservableCounter("flowmesh.ingest.grain_call_failures", () => FailedGrainCalls, description: "Grain calls that failed");
        _meter.CreateObservableCounter("flowmesh.ingest.rows_applied", () => Rows, description: "Combined rows applied to the grains");
        _meter.CreateObservableGauge("flowmesh.ingest.unsettled_flushes", () => UnsettledFlushes,
            description: "Flushes not yet applied by every grain nor given up (the one in progress, plus any being retried); grains keep flush ids from the oldest on");
        _meter.CreateObservableGauge("flowmesh.ingest.gathering_requests", () => Gathering,
            description: "Requests in the flush being gathered; it closes after the flush interval, at the row limit, or once no announced delivery is still on its way");
    }

    /// <summary>Requests held by the flush being gathered (0 while a flush is applied or nothing waits).</summary>
    public int Gathering => Volatile.Read(ref _gathering);

    internal void SetGathering(int requests) => Volatile.Write(ref _gathering, requests);

    /// <summary>Flushes opened and not yet settled (<see cref="FlushNumbering"/>); 0 before the group commit starts.</summary>
    public int UnsettledFlushes => _numbering?.Unsettled ?? 0;

    internal FlushNumbering Tracking(FlushNumbering numbering) => _numbering = numbering;

    public long Flushes => Interlocked.Read(ref _flushes);
    public long GrainCalls => Interlocked.Read(ref _grainCalls);
    public long FailedGrainCalls => Interlocked.Read(ref _failedGrainCalls);
    public long Records => Interlocked.Read(ref _records);
    public long Rows => Interlocked.Read(ref _rows);
    public long Requests => Interlocked.Read(ref _requests);

    internal void RecordFlush(int requests, int records, int rows, double elapsedMs)
    {
        Interlocked.Increment(ref _flushes);
        Interlocked.Add(ref _requests, requests);
        Interlocked.Add(ref _records, records);
        Interlocked.Add(ref _rows, rows);
        _flushLatency.Record(elapsedMs);
    }

    internal void RecordGrainCalls(int calls, int failed)
    {
        Interlocked.Add(ref _grainCalls, calls);
        Interlocked.Add(ref _failedGrainCalls, failed);
    }

    public void Dispose() => _meter.Dispose();
}
