using System.Diagnostics;
using FlowMesh.FlowLogs;
using FlowMesh.QueryLoad;
using FlowMesh.Traffic;

namespace FlowMesh.LoadTest;

/// <summary>The figures of one run at one scale.</summary>
internal sealed record RunResult(
    int Scale, long Records, int Requests, int DistinctAddresses, double Seconds, double RecordsPerSecond,
    double WireMiBPerSecond, double BodyMiBPerSecond,
    double P50Ms, double P99Ms, int Retries, int Failures,
    double? FloorRecordsPerSecond, double? EndToEndOverFloor,
    long? GrainCalls, long? Flushes, double? GrainCallsPerRecord,
    double? ServerCpuSeconds, double? ServerCoresBusy, double? ServerPeakMiB, double? ServerRssMiB,
    bool? TotalsMatch, IReadOnlyList<string> TotalsProblems,
    TopTenVerdict? TopTen, IReadOnlyList<string> TopTenDetails,
    IReadOnlyList<GrainKindMemory>? GrainMemory, int DataMinutes,
    QueryLoadFigures? QueryLoad);

/// <summary>
/// The query side measured during the delivery (<c>--query-load</c>): open streams and their
/// updates, unary <c>GetTopContributors</c> latency, freshness from a 200 OK to the first stream
/// update that shows it, and the server's own histogram of the unary calls.
/// </summary>
internal sealed record QueryLoadFigures(int Streams, long StreamUpdates, LatencySummary Unary, LatencySummary Freshness, ServerSide? ServerSide, int ProbesDelivered);

/// <summary>
/// Managed memory per active grain of one kind on the server after the run (heap freed by
/// deactivating them all, divided by their number), and how many grains the delivered data must
/// have activated.
/// </summary>
internal sealed record GrainKindMemory(string Kind, int Activations, int ExpectedActivations, long? BytesPerGrain);

/// <summary>One run: generate the data set, deliver it, then read counters, process figures and totals.</summary>
internal static class LoadRun
{
    public static async Task<RunResult> ExecuteAsync(LoadOptions options, int scale, HttpClient http, ServerProbe probe)
    {
        // 1. Data set, request bodies and expected totals are built before the clock starts.
        var prepare = Stopwatch.StartNew();
        var generator = new TrafficGenerator(SyntheticEstate.Create(options.Seed, scale), options.Seed);
        // A record starts up to 49 s before the generator's "now". Pinned to second 25 of the previous
        // minute, every run's records split the same way over the same two minutes (48 % and 52 %)
        // whatever second the run starts at; with the current time, how full each grain's two minute
        // boards got (its memory and cost) depended on the start second.
        var now = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60) - 35;
        var expected = new ExpectedTotals();
        var warmExpected = new ExpectedTotals();
        var tops = new ExactTopContributors();
        var addresses = new HashSet<FlowAddress>();
        var grains = new ExpectedGrains();
        var lines = generator.Records(options.Records, () => now).Select(r =>
        {
            expected.Add(in r);
            grains.Add(in r, FlowLogFormat.Default);
            tops.Add(in r);
            if (!r.SrcAddr.IsAbsent) addresses.Add(r.SrcAddr);
            if (!r.DstAddr.IsAbsent) addresses.Add(r.DstAddr);
            return FlowRecordFormatter.FormatLine(in r, FlowLogFormat.Default);
        });
        var batches = FirehoseBatchBuilder.Build(lines, options.BatchBytes, options.Gzip).ToArray();
        var records = batches.Sum(b => (long)b.Records);
        Console.Error.WriteLine($"scale {scale}: prepared {records:N0} records, {addresses.Count:N0} addresses, {batches.Length:N0} requests in {prepare.Elapsed.TotalSeconds:F1} s");
        var client = new FirehoseClient(http, new FirehoseClientOptions { Endpoint = options.Endpoint, AccessKey = options.AccessKey, InitialBackoff = TimeSpan.FromMilliseconds(200) });
        if (options.WarmupRecords > 0)
        {
            // Unmeasured traffic first (its own seed and request ids): a fresh server JIT-compiles and
            // grows its tables during the first seconds, which is start-up, not steady state.
            var warm = new TrafficGenerator(SyntheticEstate.Create(options.Seed, scale), options.Seed + 1_000);
            var warmLines = warm.Records(options.WarmupRecords, () => now).Select(r =>
            {
                warmExpected.Add(in r);
                grains.Add(in r, FlowLogFormat.Default);
                tops.Add(in r);
                return FlowRecordFormatter.FormatLine(in r, FlowLogFormat.Default);
            });
            var warmBatches = FirehoseBatchBuilder.Build(warmLines, options.BatchBytes, options.Gzip).ToArray();
            await Parallel.ForEachAsync(warmBatches, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (b, ct) => await client.SendAsync(b, ct));
        }

        // 2. The floor: decode only, one thread, same bodies.
        (long Records, double Seconds)? floor = options.Floor ? DecodeFloor.Measure(batches) : null;

        using var verifier = options.Verify ? new TotalsVerifier(options.Query) : null;
        var totalsBefore = verifier is null ? default : await verifier.ReadAsync();
        var countersBefore = await probe.ScrapeAsync();
        var cpuBefore = probe.CpuSeconds();

        // 3. Deliver with bounded concurrency, as Firehose does with parallel requests; with
        //    --query-load, the query side is measured meanwhile, until the last delivery is answered.
        using var measuring = new CancellationTokenSource();
        var queryLoad = options.QueryLoad
            ? QueryLoadProbe.RunAsync(new QueryLoadOptions(options.Query, options.Endpoint, options.AccessKey, options.QueryStreams, options.QueryProbes, options.Metrics), http, measuring.Token)
            : null;
        var latencies = new double[batches.Length];
        var failures = 0;
        var retries = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, batches.Length), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (i, ct) =>
        {
            var result = await client.SendAsync(batches[i], ct);
            latencies[i] = result.Elapsed.TotalMilliseconds;
            Interlocked.Add(ref retries, result.Retries);
            if (!result.Succeeded) Interlocked.Increment(ref failures);
        });
        var elapsed = clock.Elapsed.TotalSeconds;

        // 4. After: counters, process figures, totals through the query API.
        var cpuAfter = probe.CpuSeconds();
        var countersAfter = await probe.ScrapeAsync();
        var memory = probe.Memory();
        var calls = Delta(countersBefore, countersAfter, "flowmesh_ingest_grain_calls_total");
        var flushes = Delta(countersBefore, countersAfter, "flowmesh_ingest_flushes_total");
        // The server's figures above were read as the last delivery was answered; the query side ends now.
        QueryLoadFigures? queryFigures = null;
        if (queryLoad is not null)
        {
            await measuring.CancelAsync();
            var report = await queryLoad;
            queryFigures = new QueryLoadFigures(report.Streams, report.StreamUpdates, report.Unary, report.Freshness, report.ServerSide, report.ProbeRecords.Count);
            // The freshness probes' records were delivered too (1 flow each): the totals, the exact top 10
            // and the grains must count them.
            foreach (var record in report.ProbeRecords)
            {
                expected.Add(in record);
                tops.Add(in record);
                grains.Add(in record, QueryLoadProbe.ProbeFormat, dataSet: false);
            }
        }
        bool? totalsMatch = null;
        IReadOnlyList<string> problems = [];
        TopTenVerdict? topTen = null;
        IReadOnlyList<string> topTenDetails = [];
        if (verifier is not null)
        {
            var totalsAfter = await verifier.ReadAsync();
            if (totalsBefore.Totals is { } before && totalsAfter.Totals is { } after)
            {
                problems = TotalsVerifier.Compare(before, after, expected);
                totalsMatch = problems.Count == 0;
                // The exact top 10 is known only when the server holds nothing but this run's data
                // (a fresh --server-dll server: its totals before the measured part are the warm-up's,
                // and nobody else delivered meanwhile, e.g. a separate QueryLoad's freshness probes;
                // --query-load's own probes are counted above).
                if (totalsMatch == true && TotalsVerifier.Compare(new Contracts.V1.TrafficTotals(), before, warmExpected).Count == 0)
                {
                    (var verdict, topTenDetails) = await tops.CompareAsync(options.Query);
                    topTen = verdict;
                }
            }
            else
            {
                problems = [$"query service unavailable: {totalsBefore.Error ?? totalsAfter.Error}"];
            }
        }

        // 5. Last, because it deactivates the grains it measures: memory per active grain.
        IReadOnlyList<GrainKindMemory>? grainMemory = null;
        if (options.GrainMemory && await probe.GrainMemoryAsync() is { } measured)
            grainMemory = measured.Kinds.Select(k => new GrainKindMemory(k.Kind, k.Activations, grains.For(k.Kind), k.BytesPerActivation)).ToArray();

        Array.Sort(latencies);
        double Percentile(double p) => latencies.Length == 0 ? 0 : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
        var rate = records / elapsed;
        // MiB/s accepted: the request bodies as sent (gzip'd) and as the endpoint inflates them (JSON).
        var wireMiB = batches.Sum(b => (double)b.Body.Length) / (1 << 20);
        var bodyMiB = batches.Sum(b => (double)b.UncompressedBytes) / (1 << 20);
        double? floorRate = floor is { } f ? f.Records / f.Seconds : null;
        var cpu = cpuBefore is { } c0 && cpuAfter is { } c1 ? c1 - c0 : (double?)null;
        return new RunResult(
            scale, records, batches.Length, addresses.Count, Math.Round(elapsed, 3), Math.Round(rate),
            Math.Round(wireMiB / elapsed, 2), Math.Round(bodyMiB / elapsed, 2),
            Math.Round(Percentile(0.50), 1), Math.Round(Percentile(0.99), 1), retries, failures,
            floorRate is { } fr ? Math.Round(fr) : null, floorRate is { } fr2 ? Math.Round(rate / fr2, 3) : null,
            calls, flushes, calls is { } n ? Math.Round((double)n / records, 4) : null,
            cpu is { } cs ? Math.Round(cs, 2) : null, cpu is { } cs2 ? Math.Round(cs2 / elapsed, 2) : null,
            memory is { } m ? Math.Round(m.PeakMiB, 1) : null, memory is { } m2 ? Math.Round(m2.CurrentMiB, 1) : null,
            totalsMatch, problems, topTen, topTenDetails, grainMemory, grains.Minutes, queryFigures);
    }

    private static long? Delta(IReadOnlyDictionary<string, double>? before, IReadOnlyDictionary<string, double>? after, string name) =>
        before is not null && after is not null && after.TryGetValue(name, out var a)
            ? (long)(a - before.GetValueOrDefault(name))
            : null;
}
