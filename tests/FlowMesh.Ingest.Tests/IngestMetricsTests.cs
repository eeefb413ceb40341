using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FlowMesh.Ingest.Firehose;
using Microsoft.Extensions.DependencyInjection;

namespace FlowMesh.Ingest.Tests;

/// <summary>The FlowMesh.Ingest meter reports what the endpoint did.</summary>
public sealed class IngestMetricsTests
{
    [Fact]
    public async Task Post_Deliveries_ReportRequestsRecordsBytesMalformedDuplicatesAndControlMessages()
    {
        await using var server = await IngestTestServer.StartAsync();
        using var recorder = new MeasurementRecorder(server.Services.GetRequiredService<IMeterFactory>());
        var direct = SharedSamples.Read("firehose-direct.json");
        var cwl = SharedSamples.Read("firehose-cwl.json");
        var bad = FirehoseRequests.Body("req-bad-line", FirehoseRequests.Wrapped("2 123456789010 eni-1"));

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("ed4acda5-034f-9f42-bba1-f29aea6d7d8f", direct), 200, "ed4acda5-034f-9f42-bba1-f29aea6d7d8f");
        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("ed4acda5-034f-9f42-bba1-f29aea6d7d8f", direct), 200, "ed4acda5-034f-9f42-bba1-f29aea6d7d8f");
        var gzipRequest = FirehoseRequests.Post("4b7c9f2e-0d3a-4c55-9b1e-7f5a2c8d1e60", cwl, gzip: true);
        var gzipLength = gzipRequest.Content!.Headers.ContentLength!.Value;
        await FirehoseAssert.SendAsync(server.Client, gzipRequest, 200, "4b7c9f2e-0d3a-4c55-9b1e-7f5a2c8d1e60");
        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-bad-line", bad), 200, "req-bad-line");
        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-401", bad, accessKey: "nope"), 401, "req-401");

        Assert.Equal(4, recorder.Sum("flowmesh.ingest.requests", "http.response.status_code", 200));
        Assert.Equal(1, recorder.Sum("flowmesh.ingest.requests", "http.response.status_code", 401));
        Assert.Equal(9 + 4, recorder.Sum("flowmesh.ingest.records"));
        Assert.Equal(1, recorder.Sum("flowmesh.ingest.malformed_lines", "reason", "field_count"));
        Assert.Equal(1, recorder.Sum("flowmesh.ingest.duplicate_deliveries"));
        Assert.Equal(1, recorder.Sum("flowmesh.ingest.control_messages"));
        Assert.Equal(direct.Length + gzipLength + bad.Length, recorder.Sum("flowmesh.ingest.request_bytes"));
        Assert.Equal(direct.Length + cwl.Length + bad.Length, recorder.Sum("flowmesh.ingest.inflated_bytes"));
        Assert.Equal(3, recorder.Count("flowmesh.ingest.batch_apply.duration"));
    }

    /// <summary>Listens to this server's FlowMesh.Ingest meter only (tests run in parallel, each with its own meter factory).</summary>
    private sealed class MeasurementRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

        public MeasurementRecorder(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == IngestMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
            _listener.Start();
        }

        public double Sum(string instrument, string? tag = null, object? tagValue = null) =>
            _measurements
                .Where(m => m.Instrument == instrument && (tag is null || m.Tags.Any(t => t.Key == tag && Equals(t.Value, tagValue))))
                .Sum(m => m.Value);

        public int Count(string instrument) => _measurements.Count(m => m.Instrument == instrument);

        public void Dispose() => _listener.Dispose();
    }
}
