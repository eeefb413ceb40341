using System.Diagnostics.Metrics;
using FlowMesh.FlowLogs;

namespace FlowMesh.Ingest.Firehose;

/// <summary>Instruments of the ingest role (Meter <see cref="MeterName"/>, exported by the service defaults).</summary>
public sealed class IngestMetrics
{
    /// <summary>Meter name; starts with "FlowMesh." so the service defaults' wildcard picks it up.</summary>
    public const string MeterName = "FlowMesh.Ingest";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _records;
    private readonly Counter<long> _malformed;
    private readonly Counter<long> _compressedBytes;
    private readonly Counter<long> _inflatedBytes;
    private readonly Histogram<double> _applyDuration;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _controlMessages;
    private readonly UpDownCounter<long> _decodeWaiting;

    public IngestMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("flowmesh.ingest.requests", "{request}", "Firehose requests answered, by HTTP status code.");
        _records = meter.CreateCounter<long>("flowmesh.ingest.records", "{record}", "Flow records applied to the cluster.");
        _malformed = meter.CreateCounter<long>("flowmesh.ingest.malformed_lines", "{line}", "Malformed lines or records, by reason.");
        _compressedBytes = meter.CreateCounter<long>("flowmesh.ingest.request_bytes", "By", "Request body bytes as received (before gzip inflation).");
        _inflatedBytes = meter.CreateCounter<long>("flowmesh.ingest.inflated_bytes", "By", "Request body bytes after gzip inflation.");
        _applyDuration = meter.CreateHistogram<double>("flowmesh.ingest.batch_apply.duration", "ms", "Time to apply one delivery to the cluster.");
        _duplicates = meter.CreateCounter<long>("flowmesh.ingest.duplicate_deliveries", "{request}", "Retried deliveries recognised by request id and not applied again.");
        _controlMessages = meter.CreateCounter<long>("flowmesh.ingest.control_messages", "{message}", "CloudWatch Logs CONTROL_MESSAGE envelopes dropped.");
        _decodeWaiting = meter.CreateUpDownCounter<long>("flowmesh.ingest.decode_waiting", "{request}", "Requests whose body is read and waiting for a decode slot (FlowMesh:Ingest:MaxConcurrentDecodes).");
    }

    public void RequestAnswered(int statusCode) =>
        _requests.Add(1, new KeyValuePair<string, object?>("http.response.status_code", statusCode));

    public void RecordsApplied(long count) => _records.Add(count);

    public void MalformedLine(MalformedReason reason) =>
        _malformed.Add(1, new KeyValuePair<string, object?>("reason", reason.Label()));

    public void BodyReceived(long compressedBytes, long inflatedBytes)
    {
        _compressedBytes.Add(compressedBytes);
        _inflatedBytes.Add(inflatedBytes);
    }

    public void BatchApplied(TimeSpan elapsed) => _applyDuration.Record(elapsed.TotalMilliseconds);

    public void DuplicateDelivery() => _duplicates.Add(1);

    public void ControlMessages(long count) => _controlMessages.Add(count);

    public void DecodeWaiting(int change) => _decodeWaiting.Add(change);
}
