using FlowMesh.Contracts.V1;
using FlowMesh.FlowLogs;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace FlowMesh.LoadTest;

/// <summary>How the server's top 10 compares with the exact answer.</summary>
internal enum TopTenVerdict
{
    /// <summary>The same keys (ties in either order) with exactly the exact values and error bound 0.</summary>
    Identical,

    /// <summary>
    /// The same keys (up to ties at the cut), and each key's exact value lies inside what the server reported:
    /// value − error bound ≤ exact ≤ value (the product's accuracy goal for Space-Saving summaries).
    /// </summary>
    WithinBounds,

    /// <summary>A key that is not in the exact top 10, or an exact value outside the reported bound.</summary>
    Different,
}

/// <summary>
/// The exact top contributors of the data the server received (warm-up and measured records),
/// by brute force over the generated records, and the check of the server's top 10 of scope
/// "all" over 60 minutes against them (see <see cref="TopTenVerdict"/>).
/// </summary>
internal sealed class ExactTopContributors
{
    public const int Limit = 10;

    private readonly Dictionary<FlowAddress, long> _sourceBytes = [];
    private readonly Dictionary<int, long> _portFlows = [];

    public void Add(in FlowRecord r)
    {
        if (r.Has(FlowField.LogStatus) && r.LogStatus is LogStatus.NoData or LogStatus.SkipData) return;
        if (!r.SrcAddr.IsAbsent && r.Has(FlowField.Bytes))
            _sourceBytes[r.SrcAddr] = _sourceBytes.GetValueOrDefault(r.SrcAddr) + r.Bytes;
        if (r.Has(FlowField.DstPort))
            _portFlows[r.DstPort] = _portFlows.GetValueOrDefault(r.DstPort) + 1;
    }

    /// <summary>Queries the server; returns the verdict and one line per key that is not identical.</summary>
    public async Task<(TopTenVerdict Verdict, IReadOnlyList<string> Details)> CompareAsync(Uri query)
    {
        using var channel = GrpcChannel.ForAddress(query);
        var client = new FlowMeshQuery.FlowMeshQueryClient(channel);
        try
        {
            var sources = Compare("source addresses by bytes",
                await TopAsync(client, Dimension.SourceAddress, Metric.Bytes),
                _sourceBytes.ToDictionary(p => p.Key.ToString(), p => p.Value, StringComparer.Ordinal));
            var ports = Compare("destination ports by flows",
                await TopAsync(client, Dimension.DestinationPort, Metric.Flows),
                _portFlows.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value, StringComparer.Ordinal));
            return ((TopTenVerdict)Math.Max((int)sources.Verdict, (int)ports.Verdict), [.. sources.Details, .. ports.Details]);
        }
        catch (RpcException ex)
        {
            return (TopTenVerdict.Different, [$"query service unavailable: {ex.StatusCode}: {ex.Status.Detail}"]);
        }
    }

    private static async Task<IReadOnlyList<Contributor>> TopAsync(FlowMeshQuery.FlowMeshQueryClient client, Dimension dimension, Metric metric)
    {
        var answer = await client.GetTopContributorsAsync(
            new TopContributorsRequest { Scope = new Scope { All = new Empty() }, Dimension = dimension, Metric = metric, Window = Window.SixtyMinutes, Limit = Limit },
            deadline: DateTime.UtcNow.AddSeconds(30));
        return answer.Contributors;
    }

    /// <summary>
    /// Same members: the exact values of the keys the server lists, sorted, are the exact top-10 values
    /// (so a key may stand in for another only when they tie). Values: each exact value within the reported bound.
    /// </summary>
    internal static (TopTenVerdict Verdict, IReadOnlyList<string> Details) Compare(string what, IReadOnlyList<Contributor> server, IReadOnlyDictionary<string, long> exact)
    {
        var expected = exact.Values.OrderDescending().Take(Limit).ToList();
        if (server.Count != expected.Count)
            return (TopTenVerdict.Different, [$"{what}: server listed {server.Count}, expected {expected.Count}"]);
        var details = new List<string>();
        var verdict = TopTenVerdict.Identical;
        var truths = new List<long>(server.Count);
        var labels = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < server.Count; i++)
        {
            var c = server[i];
            var truth = exact.GetValueOrDefault(c.Label, 0);
            truths.Add(truth);
            if (!labels.Add(c.Label))
            {
                verdict = TopTenVerdict.Different;
                details.Add($"{what} #{i + 1}: server lists {c.Label} twice");
                continue;
            }
            var line = $"{what} #{i + 1}: server {c.Label} = {c.Value:N0} (± {c.ErrorBound:N0}), exact value of that key {truth:N0}, exact #{i + 1} value {expected[i]:N0}";
            if (truth > c.Value || truth < c.Value - c.ErrorBound)
            {
                verdict = TopTenVerdict.Different;
                details.Add(line + " — outside the bound");
            }
            else if (truth != c.Value || c.ErrorBound != 0 || c.Value != expected[i])
            {
                if (verdict == TopTenVerdict.Identical) verdict = TopTenVerdict.WithinBounds;
                details.Add(line + " — within the bound");
            }
        }
        if (!truths.OrderDescending().SequenceEqual(expected))
        {
            verdict = TopTenVerdict.Different;
            details.Add($"{what}: exact values of the listed keys [{string.Join(", ", truths.OrderDescending())}] are not the exact top 10 [{string.Join(", ", expected)}]");
        }
        return (verdict, details);
    }
}
