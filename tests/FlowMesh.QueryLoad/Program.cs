using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FlowMesh.Traffic;
using Grpc.Core;
using Grpc.Net.Client;
using V1 = FlowMesh.Contracts.V1;

// Usage (run beside tests/FlowMesh.LoadTest so ingest is busy):
//   dotnet run -c Release --project tests/FlowMesh.QueryLoad -- [--query http://127.0.0.1:50051]
//     [--ingest http://127.0.0.1:8080/v1/firehose] [--access-key K] [--seconds 20] [--streams 100] [--probes 20]
//     [--metrics http://127.0.0.1:8080/metrics] (default: /metrics beside --ingest; the server's own unary latency)
//     [--latencies FILE] (one line per unary call: its completion as Unix ms and its latency in ms, to line
//      slow calls up with GC pauses or other events of the server)
var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal) && p.i + 1 < args.Length)
    .ToDictionary(p => p.a[2..], p => args[p.i + 1], StringComparer.Ordinal);
string Opt(string name, string fallback) => options.GetValueOrDefault(name, fallback);
var ci = CultureInfo.InvariantCulture;
var seconds = int.Parse(Opt("seconds", "20"), ci);
var streamCount = int.Parse(Opt("streams", "100"), ci);
var probes = int.Parse(Opt("probes", "20"), ci);

using var channel = GrpcChannel.ForAddress(Opt("query", "http://127.0.0.1:50051"), new GrpcChannelOptions
{
    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
});
var client = new V1.FlowMeshQuery.FlowMeshQueryClient(channel);
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 30));

// 1. Open streams (all on the same request, as dashboards do) and count their updates.
var streamUpdates = 0L;
var streamRequest = new V1.StreamTopContributorsRequest
{
    Query = new V1.TopContributorsRequest { Dimension = V1.Dimension.SourceAddress, Metric = V1.Metric.Bytes, Window = V1.Window.FiveMinutes, Limit = 10 },
    UpdateInterval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
};
var streams = Enumerable.Range(0, streamCount).Select(async _ =>
{
    try
    {
        using var call = client.StreamTopContributors(streamRequest, cancellationToken: stop.Token);
        await foreach (var update in call.ResponseStream.ReadAllAsync(stop.Token)) Interlocked.Increment(ref streamUpdates);
    }
    // Stopping aborts the HTTP/2 stream: grpc-dotnet reports that as Cancelled, or, when the abort
    // reaches a read first, as Unavailable ("The request was aborted"). Either is the end we asked for.
    catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled || stop.IsCancellationRequested) { }
    catch (OperationCanceledException) { }
}).ToArray();

// 2. Freshness: a record for a VPC of its own, POSTed while a stream watches that VPC;
//    delay = first update showing it − the moment the 200 OK arrived.
using var http = new HttpClient();
var firehose = new FirehoseClient(http, new FirehoseClientOptions
{
    Endpoint = new Uri(Opt("ingest", "http://127.0.0.1:8080/v1/firehose")),
    AccessKey = options.GetValueOrDefault("access-key"),
    CommonAttributes = new Dictionary<string, string> { ["flowmesh-log-format"] = "${version} ${account-id} ${vpc-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}" },
    MaxAttempts = 1,
});
var freshness = new List<double>();
var freshnessTask = Task.Run(async () =>
{
    for (var p = 0; p < probes && !stop.IsCancellationRequested; p++)
    {
        var vpc = $"vpc-probe{Guid.NewGuid():N}"[..21];
        using var watch = client.StreamTopContributors(new V1.StreamTopContributorsRequest
        {
            Query = new V1.TopContributorsRequest { Scope = new V1.Scope { VpcId = vpc }, Window = V1.Window.FiveMinutes },
            UpdateInterval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(100)),
        }, cancellationToken: stop.Token);
        await watch.ResponseStream.MoveNext(stop.Token); // the first (empty) snapshot: subscribed
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var line = $"3 123456789012 {vpc} eni-0probe000000000{p % 10} 10.99.0.1 10.99.0.2 40000 443 6 1 100 {now} {now} ACCEPT OK";
        var batch = FirehoseBatchBuilder.Build([line], 1 << 20, gzip: false).Single();
        var result = await firehose.SendAsync(batch, stop.Token);
        var acknowledged = Stopwatch.GetTimestamp();
        if (!result.Succeeded) continue;
        while (await watch.ResponseStream.MoveNext(stop.Token))
        {
            if (watch.ResponseStream.Current.Snapshot.Totals.Flows < 1) continue;
            lock (freshness) freshness.Add(Stopwatch.GetElapsedTime(acknowledged).TotalMilliseconds);
            break;
        }
    }
});

// 3. Unary queries back to back for the duration, with the server's histogram read before and after.
var metricsUri = new Uri(Opt("metrics", new Uri(new Uri(Opt("ingest", "http://127.0.0.1:8080/v1/firehose")), "/metrics").ToString()));
var serverBefore = await ServerLatency.ScrapeAsync(http, metricsUri, stop.Token);
var unary = new List<double>();
var completions = new List<double>();
var unaryRequest = new V1.TopContributorsRequest { Dimension = V1.Dimension.SourceAddress, Metric = V1.Metric.Bytes, Window = V1.Window.SixtyMinutes, Limit = 10 };
var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
while (Stopwatch.GetTimestamp() < until)
{
    var started = Stopwatch.GetTimestamp();
    await client.GetTopContributorsAsync(unaryRequest, cancellationToken: stop.Token);
    unary.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    completions.Add((DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds);
}
if (options.TryGetValue("latencies", out var latenciesFile))
    await File.WriteAllLinesAsync(latenciesFile, unary.Select((ms, i) => string.Create(ci, $"{completions[i]:F1} {ms:F2}")), stop.Token);
await freshnessTask;
// The exporter caches a scrape for a moment: read until the server has counted every unary call made
// (more if other clients queried meanwhile), or give up after a few seconds and report what it has.
var serverAfter = serverBefore;
var counted = Stopwatch.StartNew();
while (serverBefore is not null && counted.Elapsed < TimeSpan.FromSeconds(5))
{
    serverAfter = await ServerLatency.ScrapeAsync(http, metricsUri, stop.Token);
    if (serverAfter is null || ServerLatency.Calls(serverAfter) - ServerLatency.Calls(serverBefore) >= unary.Count) break;
    await Task.Delay(100, stop.Token);
}
var serverSide = serverBefore is not null && serverAfter is not null ? ServerLatency.Between(serverBefore, serverAfter) : null;
stop.Cancel();
await Task.WhenAll(streams);

static double Percentile(List<double> values, double p)
{
    if (values.Count == 0) return double.NaN;
    var sorted = values.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

var report = new
{
    streams = streamCount,
    streamUpdates,
    unary = new { count = unary.Count, p50Ms = Math.Round(Percentile(unary, 0.5), 2), p99Ms = Math.Round(Percentile(unary, 0.99), 2), maxMs = Math.Round(unary.DefaultIfEmpty().Max(), 2) },
    freshness = new { probes = freshness.Count, p50Ms = Math.Round(Percentile(freshness, 0.5), 1), p99Ms = Math.Round(Percentile(freshness, 0.99), 1), maxMs = Math.Round(freshness.DefaultIfEmpty().Max(), 1) },
    serverSide,
};
Console.WriteLine("| open streams | unary calls | unary p50 ms | unary p99 ms | server-side ≤ 10 ms / ≤ 25 ms / p99 ≤ | freshness probes | freshness p50 ms | freshness p99 ms |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
var serverText = serverSide is null ? "–" : string.Create(ci, $"{serverSide.Within10Ms:P1} / {serverSide.Within25Ms:P1} / {(serverSide.P99AtMostMs is { } b ? $"{b} ms" : "–")}");
Console.WriteLine(string.Create(ci, $"| {streamCount} | {unary.Count} | {report.unary.p50Ms} | {report.unary.p99Ms} | {serverText} | {freshness.Count} | {report.freshness.p50Ms} | {report.freshness.p99Ms} |"));
Console.WriteLine(JsonSerializer.Serialize(report));
