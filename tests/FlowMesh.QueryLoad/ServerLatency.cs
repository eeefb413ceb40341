using System.Globalization;

namespace FlowMesh.QueryLoad;

/// <summary>
/// The server's own view of the unary calls: ASP.NET Core's <c>http.server.request.duration</c> histogram
/// for the GetTopContributors route, read from the Prometheus endpoint before and after the unary phase.
/// It leaves out what the client adds (its own scheduling, the network, GC pauses while a request is
/// not inside the server's handler), so the two p99s side by side show where a tail comes from.
/// </summary>
internal static class ServerLatency
{
    private const string Bucket = "http_server_request_duration_seconds_bucket{";
    private const string Route = "http_route=\"/flowmesh.v1.FlowMeshQuery/GetTopContributors\"";

    /// <summary>Cumulative calls by bucket upper bound in seconds (+Inf included); null when the endpoint cannot be read.</summary>
    public static async Task<SortedDictionary<double, long>?> ScrapeAsync(HttpClient http, Uri metrics, CancellationToken cancellationToken)
    {
        try
        {
            return Parse(await http.GetStringAsync(metrics, cancellationToken));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public static SortedDictionary<double, long> Parse(string text)
    {
        var buckets = new SortedDictionary<double, long>();
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(Bucket, StringComparison.Ordinal) || !line.Contains(Route, StringComparison.Ordinal)) continue;
            var le = line.IndexOf("le=\"", StringComparison.Ordinal) + 4;
            var bound = line[le..line.IndexOf('"', le)];
            var upper = bound == "+Inf" ? double.PositiveInfinity : double.Parse(bound, CultureInfo.InvariantCulture);
            var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            // Several series (status codes, protocol versions) add up per bound.
            buckets[upper] = buckets.GetValueOrDefault(upper) + (long)double.Parse(value, CultureInfo.InvariantCulture);
        }
        return buckets;
    }

    public static long Calls(SortedDictionary<double, long> cumulative) => cumulative.GetValueOrDefault(double.PositiveInfinity);

    /// <summary>The calls between two scrapes: how many, the share within 10 and 25 ms, and the smallest bound holding 99 %.</summary>
    public static ServerSide Between(SortedDictionary<double, long> before, SortedDictionary<double, long> after)
    {
        var calls = Calls(after) - Calls(before);
        long Within(double seconds) => after.Where(p => p.Key <= seconds).Select(p => p.Value - before.GetValueOrDefault(p.Key)).DefaultIfEmpty().Max();
        double? p99 = null;
        foreach (var (upper, count) in after)
        {
            if (calls == 0 || count - before.GetValueOrDefault(upper) < 0.99 * calls) continue;
            p99 = double.IsPositiveInfinity(upper) ? null : upper * 1000;
            break;
        }
        return new ServerSide(calls,
            calls == 0 ? 0 : Math.Round((double)Within(0.010) / calls, 4),
            calls == 0 ? 0 : Math.Round((double)Within(0.025) / calls, 4),
            p99);
    }
}

/// <param name="Calls">Unary GetTopContributors calls the server completed between the scrapes.</param>
/// <param name="Within10Ms">Share of them the server handled within 10 ms.</param>
/// <param name="Within25Ms">Share within 25 ms.</param>
/// <param name="P99AtMostMs">The histogram bound that holds 99 % of them (null: beyond the last finite bound).</param>
public sealed record ServerSide(long Calls, double Within10Ms, double Within25Ms, double? P99AtMostMs)
{
    /// <summary>"≤ 10 ms share / ≤ 25 ms share / p99 bound", or "–" when the server's histogram was not read.</summary>
    public static string Format(ServerSide? side) => side is null
        ? "–"
        : string.Create(CultureInfo.InvariantCulture, $"{side.Within10Ms:P1} / {side.Within25Ms:P1} / {(side.P99AtMostMs is { } b ? $"{b} ms" : "–")}");
}
