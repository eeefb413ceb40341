using System.Diagnostics;
using System.Text.Json;

namespace FlowMesh.EndToEnd.Tests;

/// <summary>
/// The benchmark harnesses run for a few seconds against a real server, so they cannot rot.
/// Their figures are not asserted (benchmarks never pass or fail the suite); what they check is.
/// </summary>
public sealed class HarnessSmokeTests
{
    [Fact]
    public async Task LoadHarness_SmallRun_DeliversEverythingAndVerifiesTotalsThroughTheQueryApi()
    {
        await using var server = ServerProcess.Start(accessKey: null, "--insecure-no-access-key", "--FlowMesh:Diagnostics:GrainMemoryProbe=true");
        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        var report = await RunAsync(BuiltExecutables.LoadHarness, TimeSpan.FromMinutes(2),
            "--endpoint", server.FirehoseEndpoint, "--query", server.QueryServer, "--server-pid", server.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--records", "40000", "--warmup-records", "0", "--concurrency", "2", "--batch-bytes", "262144",
            "--query-load", "true", "--query-streams", "3", "--query-probes", "2");

        var run = report.GetProperty("runs")[0];
        Assert.Equal(40_000, run.GetProperty("records").GetInt64());
        Assert.Equal(0, run.GetProperty("failures").GetInt32());
        Assert.True(run.GetProperty("totalsMatch").GetBoolean(), run.GetProperty("totalsProblems").ToString());
        // --query-load measured the query side during the delivery; its freshness probes' records were
        // delivered too, and the exact totals above (and the grain counts below) include every one acknowledged.
        var queryLoad = run.GetProperty("queryLoad");
        Assert.Equal(3, queryLoad.GetProperty("streams").GetInt32());
        Assert.Equal(queryLoad.GetProperty("probesDelivered").GetInt32(), queryLoad.GetProperty("freshness").GetProperty("count").GetInt32());
        // A fresh server holds only this run's records, so the harness checks its top 10 against the exact answer.
        Assert.Contains(run.GetProperty("topTen").GetString(), new[] { "identical", "withinBounds" });
        Assert.True(run.GetProperty("grainCallsPerRecord").GetDouble() > 0);
        // MiB/s accepted, as sent (gzip) and as inflated: the JSON of flow-log lines compresses, so it is the larger.
        Assert.True(run.GetProperty("wireMiBPerSecond").GetDouble() > 0);
        Assert.True(run.GetProperty("bodyMiBPerSecond").GetDouble() > run.GetProperty("wireMiBPerSecond").GetDouble());
        Assert.True(run.GetProperty("floorRecordsPerSecond").GetDouble() > 0);
        Assert.True(run.GetProperty("serverPeakMiB").GetDouble() > 0);
        // Memory per grain (the server's diagnostic, run last): it measured every grain the data
        // activates — as many address, interface and leaderboard grains as the records name — and
        // each held memory.
        var grainMemory = run.GetProperty("grainMemory").EnumerateArray().ToDictionary(k => k.GetProperty("kind").GetString()!);
        Assert.Equal(["address", "interface", "leaderboard"], grainMemory.Keys.Order());
        // Every address of the measured records (warm-up is off) has a grain; the freshness probes add theirs.
        Assert.InRange(grainMemory["address"].GetProperty("activations").GetInt32(), run.GetProperty("distinctAddresses").GetInt32(), run.GetProperty("distinctAddresses").GetInt32() + 2);
        // One leaderboard per probe's VPC besides "all" and the accounts.
        Assert.True(grainMemory["leaderboard"].GetProperty("activations").GetInt32() >= 1 + queryLoad.GetProperty("probesDelivered").GetInt32());
        Assert.All(grainMemory.Values, kind =>
        {
            Assert.True(kind.GetProperty("expectedActivations").GetInt32() > 0);
            Assert.Equal(kind.GetProperty("expectedActivations").GetInt32(), kind.GetProperty("activations").GetInt32());
            Assert.True(kind.GetProperty("bytesPerGrain").GetInt64() > 0, kind.ToString());
        });
    }

    [Fact]
    public async Task GrainMemoryProbe_IsNotMappedUnlessConfigured()
    {
        // It deactivates grains, so a server started without FlowMesh:Diagnostics:GrainMemoryProbe=true must not offer it.
        await using var server = ServerProcess.Start(accessKey: null, "--insecure-no-access-key");
        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{server.IngestPort}/diagnostics/grain-memory"), content: null, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task QueryLoad_ShortRun_MeasuresUnaryAndFreshnessAgainstTheRealServer()
    {
        await using var server = ServerProcess.Start(accessKey: null, "--insecure-no-access-key");
        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        var latencies = Path.Combine(Path.GetTempPath(), $"flowmesh-queryload-{Guid.NewGuid():N}.txt");
        var report = await RunAsync(BuiltExecutables.QueryLoad, TimeSpan.FromMinutes(1),
            "--query", server.QueryServer, "--ingest", server.FirehoseEndpoint, "--seconds", "2", "--streams", "5", "--probes", "2",
            "--latencies", latencies);

        var unaryCalls = report.GetProperty("unary").GetProperty("count").GetInt32();
        Assert.True(unaryCalls > 0);
        // --latencies: one "completion-unix-ms latency-ms" line per call, the largest being the reported maximum.
        var lines = await File.ReadAllLinesAsync(latencies, TestContext.Current.CancellationToken);
        File.Delete(latencies);
        Assert.Equal(unaryCalls, lines.Length);
        var perCall = lines.Select(line => line.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.All(perCall, call => Assert.InRange(call[0], DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        Assert.Equal(report.GetProperty("unary").GetProperty("maxMs").GetDouble(), perCall.Max(call => call[1]), 1);
        // The server's histogram (read from /metrics before and after) counted exactly the calls the client made.
        var serverSide = report.GetProperty("serverSide");
        Assert.Equal(unaryCalls, serverSide.GetProperty("Calls").GetInt64());
        Assert.InRange(serverSide.GetProperty("Within10Ms").GetDouble(), 0, 1);
        Assert.InRange(serverSide.GetProperty("Within25Ms").GetDouble(), serverSide.GetProperty("Within10Ms").GetDouble(), 1);
        Assert.Equal(2, report.GetProperty("freshness").GetProperty("probes").GetInt32());
        Assert.True(report.GetProperty("streamUpdates").GetInt64() >= 5, "every stream gets at least its first snapshot");
    }

    /// <summary>Runs a harness to completion and returns the JSON object it prints last.</summary>
    private static async Task<JsonElement> RunAsync(string dll, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(BuiltExecutables.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{dll} did not start");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var stdout = await output;
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(dll)} exited {process.ExitCode}\nstdout:\n{stdout}\nstderr:\n{await error}");
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        using var document = JsonDocument.Parse(last);
        return document.RootElement.Clone();
    }
}
