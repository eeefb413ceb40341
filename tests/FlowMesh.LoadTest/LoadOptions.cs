using System.Globalization;

namespace FlowMesh.LoadTest;

/// <summary>Command-line options of the load harness (every option is <c>--name value</c>).</summary>
internal sealed record LoadOptions(
    Uri Endpoint, string? AccessKey, long Records, int BatchBytes, int Concurrency, bool Gzip, int Seed,
    IReadOnlyList<int> Scales, Uri Query, Uri Metrics, int? ServerPid, string? ServerDll, bool Verify, bool Floor, long WarmupRecords, bool GrainMemory,
    bool QueryLoad, int QueryStreams, int QueryProbes)
{
    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"expected an option, found '{args[i]}'");
            values[args[i][2..]] = args[i + 1];
        }
        if (args.Length % 2 != 0) throw new ArgumentException($"option '{args[^1]}' has no value");
        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var endpoint = new Uri(Get("endpoint", "http://127.0.0.1:8080/v1/firehose"));
        // --scales 1,4,16 runs once per scale; --scale N is the single-run spelling.
        var scales = Get("scales", Get("scale", "1")).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        return new LoadOptions(
            endpoint,
            values.GetValueOrDefault("access-key"),
            long.Parse(Get("records", "1000000"), CultureInfo.InvariantCulture),
            Int("batch-bytes", 1 << 20),
            Int("concurrency", 8),
            bool.Parse(Get("gzip", "true")),
            Int("seed", 1),
            scales,
            new Uri(Get("query", "http://127.0.0.1:50051")),
            new Uri(Get("metrics", new Uri(endpoint, "/metrics").ToString())),
            values.TryGetValue("server-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            values.GetValueOrDefault("server-dll"),
            bool.Parse(Get("verify", "true")),
            bool.Parse(Get("floor", "true")),
            long.Parse(Get("warmup-records", "200000"), CultureInfo.InvariantCulture),
            bool.Parse(Get("grain-memory", "true")),
            bool.Parse(Get("query-load", "false")),
            Int("query-streams", 100),
            Int("query-probes", 20));
    }
}
