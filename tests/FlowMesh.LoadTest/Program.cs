using System.Globalization;
using System.Text.Json;
using FlowMesh.LoadTest;

// Usage: dotnet run -c Release --project tests/FlowMesh.LoadTest -- [--endpoint URL] [--access-key K]
//        [--records 1000000] [--batch-bytes 1048576] [--concurrency 8] [--gzip true] [--seed 1]
//        [--scale 1 | --scales 1,4,16] [--query http://127.0.0.1:50051] [--metrics URL]
//        [--server-pid PID | --server-dll path/flowmesh-server.dll] [--verify true] [--floor true] [--warmup-records 200000]
//        [--grain-memory true] [--query-load false] [--query-streams 100] [--query-probes 20]
// With --server-dll the harness starts a fresh server per scale and stops it (by its pid) afterwards.
// --grain-memory: at the end of each run, memory per active grain from the server's benchmark
// diagnostic (a --server-dll server has it on; it deactivates the grains it measures).
// --query-load: during the measured delivery, also what tests/FlowMesh.QueryLoad measures (open
// streams, unary latency, freshness), in a second table; its probe records are expected in the totals.
var options = LoadOptions.Parse(args);
using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
var results = new List<RunResult>();
foreach (var scale in options.Scales)
{
    ServerProcess? server = null;
    try
    {
        if (options.ServerDll is { } dll) server = await ServerProcess.StartAsync(dll, options.Endpoint, http);
        var probe = new ServerProbe(http, options.Metrics, server?.Pid ?? options.ServerPid);
        results.Add(await LoadRun.ExecuteAsync(options, scale, http, probe));
    }
    finally
    {
        if (server is not null) await server.DisposeAsync();
    }
}

var ci = CultureInfo.InvariantCulture;
string N(double? v, string format) => v is { } x ? x.ToString(format, ci) : "–";
Console.WriteLine("| scale | addresses | records | records/s | MiB/s gzip | MiB/s JSON | p50 ms | p99 ms | floor records/s | e2e/floor | grain calls/record | server CPU s | server cores busy | server peak MiB | data minutes | KB per interface grain | KB per address grain | totals | top 10 | retries | failures |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var r in results)
{
    var totals = r.TotalsMatch switch { true => "exact", false => "MISMATCH", null => "not checked" };
    var topTen = r.TopTen switch
    {
        TopTenVerdict.Identical => "identical",
        TopTenVerdict.WithinBounds => "within bounds",
        TopTenVerdict.Different => "DIFFERENT",
        _ => "not checked",
    };
    Console.WriteLine(string.Create(ci,
        $"| {r.Scale}× | {r.DistinctAddresses:N0} | {r.Records:N0} | {r.RecordsPerSecond:N0} | {r.WireMiBPerSecond:F1} | {r.BodyMiBPerSecond:F1} | {r.P50Ms:F1} | {r.P99Ms:F1} | {N(r.FloorRecordsPerSecond, "N0")} | {N(r.EndToEndOverFloor, "F3")} | {N(r.GrainCallsPerRecord, "F4")} | {N(r.ServerCpuSeconds, "F1")} | {N(r.ServerCoresBusy, "F2")} | {N(r.ServerPeakMiB, "F0")} | {r.DataMinutes} | {N(Kb(r, "interface"), "F1")} | {N(Kb(r, "address"), "F1")} | {totals} | {topTen} | {r.Retries} | {r.Failures} |"));
}
if (results.Any(r => r.QueryLoad is not null))
{
    // The query side, measured while the records above were delivered (--query-load).
    Console.WriteLine();
    Console.WriteLine("| scale | open streams | stream updates | unary calls | unary p50 ms | unary p99 ms | server-side ≤ 10 ms / ≤ 25 ms / p99 ≤ | freshness probes | freshness p50 ms | freshness p99 ms |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
    foreach (var r in results)
    {
        if (r.QueryLoad is not { } q) continue;
        Console.WriteLine(string.Create(ci,
            $"| {r.Scale}× | {q.Streams} | {q.StreamUpdates:N0} | {q.Unary.Count:N0} | {N(q.Unary.P50Ms, "F2")} | {N(q.Unary.P99Ms, "F2")} | {FlowMesh.QueryLoad.ServerSide.Format(q.ServerSide)} | {q.Freshness.Count} | {N(q.Freshness.P50Ms, "F1")} | {N(q.Freshness.P99Ms, "F1")} |"));
    }
}
foreach (var problem in results.SelectMany(r => r.TotalsProblems.Concat(r.TopTenDetails).Concat(GrainCountProblems(r)).Select(p => $"scale {r.Scale}: {p}"))) Console.Error.WriteLine(problem);
Console.WriteLine(JsonSerializer.Serialize(new
{
    endpoint = options.Endpoint.ToString(),
    concurrency = options.Concurrency,
    batchBytes = options.BatchBytes,
    gzip = options.Gzip,
    warmupRecords = options.WarmupRecords,
    runs = results,
}, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } }));
return results.All(r => r.Failures == 0 && r.TotalsMatch != false && r.TopTen != TopTenVerdict.Different) ? 0 : 1;

static double? Kb(RunResult r, string kind) =>
    r.GrainMemory?.FirstOrDefault(k => k.Kind == kind)?.BytesPerGrain is { } bytes ? bytes / 1000.0 : null;

// Activations other than the data's own (an earlier run on an external server) make the per-grain figure an average over both.
static IEnumerable<string> GrainCountProblems(RunResult r) =>
    (r.GrainMemory ?? []).Where(k => k.Activations != k.ExpectedActivations)
        .Select(k => $"{k.Kind} grains active: {k.Activations:N0}, the delivered data names {k.ExpectedActivations:N0}");
