using FlowMesh.FlowLogs;
using FlowMesh.Ingest.Firehose;
using FlowMesh.Server.Hosting;
using FlowMesh.Traffic;
using Microsoft.Extensions.Options;

namespace FlowMesh.Server.Demo;

/// <summary>
/// Demo mode's traffic source: every <see cref="DemoOptions.BatchInterval"/> it generates the
/// records due at <see cref="DemoOptions.RecordsPerSecond"/>, stamped with the current time, and
/// posts them to this process's own Firehose endpoint exactly as Firehose would (gzip,
/// <c>{"message": line}</c> records, the same request id on retry) — so the demo exercises the
/// real ingest path, group commit included, rather than calling grains directly.
/// </summary>
internal sealed class DemoTrafficFeeder(
    IOptions<DemoOptions> demoOptions,
    IOptions<IngestOptions> ingestOptions,
    ServerListenSettings listen,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DemoTrafficFeeder> logger) : BackgroundService
{
    /// <summary>The stream name the demo's deliveries carry in X-Amz-Firehose-Source-Arn.</summary>
    public const string SourceArn = "arn:aws:firehose:us-east-1:123456789012:deliverystream/flowmesh-demo";

    /// <summary>
    /// Every field the generator fills, in AWS field order, sent as the <c>flowmesh-log-format</c>
    /// common attribute: VPC scopes, subnets and flow direction then show up in queries.
    /// </summary>
    public static FlowLogFormat Format { get; } =
        FlowLogFormat.FromFields(FlowFieldInfo.All.Where(TrafficGenerator.GeneratedFields.Contains));

    private const string LogFormatAttribute = "flowmesh-log-format";
    private const int MaxBodyBytes = 1 << 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = demoOptions.Value;
        // Post only once Kestrel listens; a stop before that simply ends the feeder.
        if (!await WaitForStartAsync(stoppingToken)) return;

        var ingest = ingestOptions.Value;
        var endpoint = new Uri(listen.LoopbackUrl(listen.HttpPort) + ingest.Path);
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) }) { Timeout = TimeSpan.FromSeconds(30) };
        var client = new FirehoseClient(http, new FirehoseClientOptions
        {
            Endpoint = endpoint,
            AccessKey = ingest.ConfiguredAccessKeys().FirstOrDefault(),
            SourceArn = SourceArn,
            CommonAttributes = new Dictionary<string, string> { [LogFormatAttribute] = Format.ToFormatString() },
            // Fresh data matters more than old data in a demo: retry briefly, then move on.
            MaxAttempts = 3,
            InitialBackoff = TimeSpan.FromMilliseconds(250),
            MaxBackoff = TimeSpan.FromSeconds(2),
        });
        var generator = new TrafficGenerator(SyntheticEstate.Create(options.Seed, options.Scale), options.Seed);
        ServerLog.DemoFeeding(logger, options.RecordsPerSecond, endpoint.ToString(), options.Seed, options.Scale);

        var events = new List<FlowRecord>(8);
        var lines = new List<string>();
        var started = time.GetTimestamp();
        long generated = 0;
        var failures = 0;
        using var timer = new PeriodicTimer(options.BatchInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var due = (long)(time.GetElapsedTime(started).TotalSeconds * options.RecordsPerSecond) - generated;
            var cap = 2L * options.RecordsPerSecond;
            if (due > cap)
            {
                // Behind by more than two seconds (a slow machine, a debugger): skip, do not burst.
                generated += due - cap;
                due = cap;
            }
            if (due <= 0) continue;

            lines.Clear();
            var now = time.GetUtcNow().ToUnixTimeSeconds();
            while (lines.Count < due)
            {
                events.Clear();
                generator.NextEvent(now, events);
                foreach (var record in events) lines.Add(FlowRecordFormatter.FormatLine(record, Format));
            }
            generated += lines.Count;

            foreach (var batch in FirehoseBatchBuilder.Build(lines, MaxBodyBytes, gzip: true))
            {
                var result = await client.SendAsync(batch, stoppingToken);
                if (result.Succeeded) continue;
                // One line for the first failure and then every hundredth, so a stuck cluster does not flood the log.
                if (failures++ % 100 == 0) ServerLog.DemoDeliveryFailed(logger, result.StatusCode, result.ErrorMessage ?? "", failures);
            }
        }
    }

    private async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(started.SetResult);
        try
        {
            await started.Task.WaitAsync(stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
