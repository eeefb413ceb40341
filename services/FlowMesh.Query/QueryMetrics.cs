using System.Diagnostics.Metrics;
using Grpc.Core;

namespace FlowMesh.Query;

/// <summary>Instruments of the query role, on the meter <see cref="MeterName"/>.</summary>
internal sealed class QueryMetrics
{
    public const string MeterName = "FlowMesh.Query";

    private readonly Counter<long> _requests;
    private readonly UpDownCounter<long> _openStreams;
    private readonly UpDownCounter<long> _pollers;
    private readonly Counter<long> _snapshotsPushed;

    public QueryMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("flowmesh.query.requests", "{request}", "Completed gRPC query calls, by method and status code.");
        _openStreams = meter.CreateUpDownCounter<long>("flowmesh.query.streams.open", "{stream}", "Open top-contributor subscriptions.");
        _pollers = meter.CreateUpDownCounter<long>("flowmesh.query.pollers", "{poller}", "Upstream pollers shared by subscriptions (one per distinct request).");
        _snapshotsPushed = meter.CreateCounter<long>("flowmesh.query.snapshots.pushed", "{snapshot}", "Snapshots written to subscribers.");
    }

    public void RequestCompleted(string method, StatusCode status) =>
        _requests.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("status", status.ToString()));

    public void StreamOpened() => _openStreams.Add(1);

    public void StreamClosed() => _openStreams.Add(-1);

    public void PollerStarted() => _pollers.Add(1);

    public void PollerStopped() => _pollers.Add(-1);

    public void SnapshotPushed() => _snapshotsPushed.Add(1);
}
