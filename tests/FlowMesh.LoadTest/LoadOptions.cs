using System.Globalization;

namespace FlowMesh.LoadTest;

/// <summary>Command-line options of the load harness.</summary>
internal sealed record LoadOptions(Uri Endpoint, string? AccessKey, long Records, int BatchBytes, int Concurrency, bool Gzip, int Seed, int Scale)
{
    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"expected an option, found '{args[i]}'");
            values[args[i][2..]] = args[i + 1];
        }
        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new LoadOptions(
            new Uri(Get("endpoint", "http://127.0.0.1:8080/v1/firehose")),
            values.GetValueOrDefault("access-key"),
            long.Parse(Get("records", "1000000"), CultureInfo.InvariantCulture),
            Int("batch-bytes", 1 << 20),
            Int("concurrency", 8),
            bool.Parse(Get("gzip", "true")),
            Int("seed", 1),
            Int("scale", 1));
    }
}
