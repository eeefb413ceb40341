using System.Globalization;
using System.Text.Json;
using FlowMesh.QueryLoad;

// Usage (run beside tests/FlowMesh.LoadTest so ingest is busy, or use the load harness's --query-load):
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
var ingest = new Uri(Opt("ingest", "http://127.0.0.1:8080/v1/firehose"));
var probeOptions = new QueryLoadOptions(
    new Uri(Opt("query", "http://127.0.0.1:50051")), ingest, options.GetValueOrDefault("access-key"),
    int.Parse(Opt("streams", "100"), ci), int.Parse(Opt("probes", "20"), ci),
    new Uri(Opt("metrics", new Uri(ingest, "/metrics").ToString())));

using var http = new HttpClient();
using var measure = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
var result = await QueryLoadProbe.RunAsync(probeOptions, http, measure.Token);
if (options.TryGetValue("latencies", out var latenciesFile))
    await File.WriteAllLinesAsync(latenciesFile, result.UnaryCalls.Select(c => string.Create(ci, $"{c.CompletedUnixMs:F1} {c.LatencyMs:F2}")));

var report = new
{
    streams = result.Streams,
    streamUpdates = result.StreamUpdates,
    unary = new { count = result.Unary.Count, p50Ms = result.Unary.P50Ms, p99Ms = result.Unary.P99Ms, maxMs = result.Unary.MaxMs },
    freshness = new { probes = result.Freshness.Count, p50Ms = result.Freshness.P50Ms, p99Ms = result.Freshness.P99Ms, maxMs = result.Freshness.MaxMs },
    serverSide = result.ServerSide,
};
Console.WriteLine("| open streams | unary calls | unary p50 ms | unary p99 ms | server-side ≤ 10 ms / ≤ 25 ms / p99 ≤ | freshness probes | freshness p50 ms | freshness p99 ms |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
Console.WriteLine(string.Create(ci, $"| {result.Streams} | {result.Unary.Count} | {result.Unary.P50Ms} | {result.Unary.P99Ms} | {ServerSide.Format(result.ServerSide)} | {result.Freshness.Count} | {result.Freshness.P50Ms} | {result.Freshness.P99Ms} |"));
Console.WriteLine(JsonSerializer.Serialize(report));
