using FlowMesh.FlowLogs;
using FlowMesh.Grains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlowMesh.Ingest.Firehose;

/// <summary>
/// Sends this process's malformed-record counts and latest examples to the cluster's
/// <see cref="IIngestErrorsGrain"/> whenever they changed (every <see cref="IngestOptions.MalformedReportInterval"/>),
/// so the query API can show them whichever process it runs in.
/// </summary>
internal sealed class MalformedRecordPublisher(
    MalformedRecordLog log, IServiceProvider services, IOptions<IngestOptions> options, TimeProvider time, ILogger<MalformedRecordPublisher> logger)
    : BackgroundService
{
    // Optional: a host with the Firehose endpoint but no Orleans (endpoint tests) has nowhere to report.
    private readonly IGrainFactory? _grains = services.GetService(typeof(IGrainFactory)) as IGrainFactory;
    private readonly string _processId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private long _published = -1;

    /// <summary>Publishes now if anything changed since the last report.</summary>
    public async Task PublishAsync()
    {
        var total = log.Total;
        if (_grains is null || total == _published) return;
        var report = new IngestErrorReport(
            _processId,
            time.GetUtcNow(),
            [.. log.Counts().Select(c => new IngestErrorCount(c.SourceArn, c.Reason.Label(), c.Count))],
            [.. log.Recent().Select(e => new IngestErrorExample(
                e.ReceivedAt, e.SourceArn, e.RequestId, e.RecordIndex, e.Line.LineNumber, e.Line.Reason.Label(),
                e.Line.Field is { } f ? FlowFieldInfo.Name(f) : null, e.Line.Message, e.Line.Text))]);
        await _grains.GetGrain<IIngestErrorsGrain>(GrainKeys.IngestErrors).ReportAsync(report);
        _published = total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_grains is null) return;
        using var timer = new PeriodicTimer(options.Value.MalformedReportInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PublishAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next tick retries; counts are cumulative, so nothing is lost meanwhile.
                IngestLog.MalformedReportFailed(logger, ex);
            }
        }
    }
}
