using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FlowMesh.FlowLogs;
using FlowMesh.LoadTest;
using FlowMesh.Traffic;

// Usage: dotnet run -c Release --project tests/FlowMesh.LoadTest -- --endpoint URL [--access-key K]
//        [--records 1000000] [--batch-bytes 1048576] [--concurrency 8] [--gzip true] [--seed 1] [--scale 1]
var options = LoadOptions.Parse(args);
var invariant = CultureInfo.InvariantCulture;

// 1. Data set and request bodies are built before the clock starts: only delivery is measured.
var prepare = Stopwatch.StartNew();
var generator = new TrafficGenerator(SyntheticEstate.Create(options.Seed, options.Scale), options.Seed);
var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
var lines = generator.Records(options.Records, () => now).Select(r => FlowRecordFormatter.FormatLine(in r, FlowLogFormat.Default));
var batches = FirehoseBatchBuilder.Build(lines, options.BatchBytes, options.Gzip).ToArray();
var records = batches.Sum(b => (long)b.Records);
var wireBytes = batches.Sum(b => (long)b.Body.Length);
var jsonBytes = batches.Sum(b => b.UncompressedBytes);
Console.Error.WriteLine($"prepared {records:N0} records in {batches.Length:N0} requests ({jsonBytes / 1048576.0:F1} MiB JSON, {wireBytes / 1048576.0:F1} MiB on the wire) in {prepare.Elapsed.TotalSeconds:F1} s");

// 2. Deliver with bounded concurrency, as Firehose does with parallel requests.
using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
var client = new FirehoseClient(http, new FirehoseClientOptions { Endpoint = options.Endpoint, AccessKey = options.AccessKey, InitialBackoff = TimeSpan.FromMilliseconds(200) });
var latencies = new double[batches.Length];
var failures = 0;
var retries = 0;
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, batches.Length), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (i, ct) =>
{
    var result = await client.SendAsync(batches[i], ct);
    latencies[i] = result.Elapsed.TotalMilliseconds;
    Interlocked.Add(ref retries, result.Retries);
    if (!result.Succeeded) Interlocked.Increment(ref failures);
});
var elapsed = clock.Elapsed.TotalSeconds;
Array.Sort(latencies);
double Percentile(double p) => latencies.Length == 0 ? 0 : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];

var report = new
{
    endpoint = options.Endpoint.ToString(),
    records,
    requests = batches.Length,
    concurrency = options.Concurrency,
    gzip = options.Gzip,
    seconds = Math.Round(elapsed, 3),
    recordsPerSecond = Math.Round(records / elapsed),
    requestsPerSecond = Math.Round(batches.Length / elapsed, 1),
    jsonMiBPerSecond = Math.Round(jsonBytes / 1048576.0 / elapsed, 1),
    wireMiBPerSecond = Math.Round(wireBytes / 1048576.0 / elapsed, 1),
    requestLatencyMs = new { p50 = Math.Round(Percentile(0.50), 1), p99 = Math.Round(Percentile(0.99), 1), max = Math.Round(latencies.LastOrDefault(), 1) },
    retries,
    failures,
    harnessCpuSeconds = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds, 2),
};
Console.WriteLine($"| records | requests | seconds | records/s | requests/s | JSON MiB/s | p50 ms | p99 ms | retries | failures |");
Console.WriteLine($"|---|---|---|---|---|---|---|---|---|---|");
Console.WriteLine(string.Create(invariant, $"| {records:N0} | {batches.Length:N0} | {elapsed:F2} | {report.recordsPerSecond:N0} | {report.requestsPerSecond:F1} | {report.jsonMiBPerSecond:F1} | {report.requestLatencyMs.p50:F1} | {report.requestLatencyMs.p99:F1} | {retries} | {failures} |"));
Console.WriteLine(JsonSerializer.Serialize(report));
return failures == 0 ? 0 : 1;
