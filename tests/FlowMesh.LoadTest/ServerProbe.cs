using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace FlowMesh.LoadTest;

/// <summary>
/// What the harness reads from the server: group-commit counters from the Prometheus scrape
/// (<c>/metrics</c>) and, when the process id is known, CPU time and peak memory from /proc.
/// </summary>
internal sealed class ServerProbe(HttpClient http, Uri metrics, int? pid)
{
    // Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel build.
    private const double TicksPerSecond = 100.0;

    public int? Pid => pid;

    /// <summary>Sums of the counters we need (over all label sets); null when the scrape failed.</summary>
    public async Task<IReadOnlyDictionary<string, double>?> ScrapeAsync()
    {
        try
        {
            var text = await http.GetStringAsync(metrics);
            var sums = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var line in text.Split('\n'))
            {
                if (line.Length == 0 || line[0] == '#') continue;
                var nameEnd = line.IndexOfAny(['{', ' ']);
                var valueStart = line.LastIndexOf(' ');
                if (nameEnd <= 0 || valueStart <= nameEnd) continue;
                var name = line[..nameEnd];
                if (!name.StartsWith("flowmesh_ingest_", StringComparison.Ordinal)) continue;
                if (double.TryParse(line[(valueStart + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    sums[name] = sums.GetValueOrDefault(name) + value;
            }
            return sums;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// Memory per active grain, from the server's benchmark diagnostic (<c>POST /diagnostics/grain-memory</c>,
    /// on when the server runs with <c>FlowMesh:Diagnostics:GrainMemoryProbe=true</c>). It deactivates the
    /// grains it measures, so it runs last. Null when the server does not offer it.
    /// </summary>
    public async Task<ServerGrainMemory?> GrainMemoryAsync()
    {
        using var response = await http.PostAsync(new Uri(metrics, "/diagnostics/grain-memory"), content: null);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /diagnostics/grain-memory answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<ServerGrainMemory>();
    }

    /// <summary>User + system CPU seconds of the server so far; null when unknown.</summary>
    public double? CpuSeconds()
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/stat")) return null;
        var stat = File.ReadAllText($"/proc/{id}/stat");
        // Fields after the parenthesised command name (which may contain spaces): state is field 3.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / TicksPerSecond;
    }

    /// <summary>Peak resident set (VmHWM) and current resident set (VmRSS) in MiB; null when unknown.</summary>
    public (double PeakMiB, double CurrentMiB)? Memory()
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/status")) return null;
        double peak = 0, current = 0;
        foreach (var line in File.ReadLines($"/proc/{id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kib(line) / 1024.0;
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) current = Kib(line) / 1024.0;
        }
        return (peak, current);
    }

    private static long Kib(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

/// <summary>The server's answer to <c>POST /diagnostics/grain-memory</c>.</summary>
internal sealed record ServerGrainMemory(string Silo, long HeapBeforeBytes, long HeapAfterBytes, IReadOnlyList<ServerGrainKindMemory> Kinds);

/// <summary>One grain kind: activations on the silo and the heap their deactivation freed.</summary>
internal sealed record ServerGrainKindMemory(string Kind, int Activations, long FreedBytes, long? BytesPerActivation);
