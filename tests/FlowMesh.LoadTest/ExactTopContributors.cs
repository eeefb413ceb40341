using FlowMesh.Contracts.V1;
using FlowMesh.FlowLogs;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace FlowMesh.LoadTest;

/// <summary>
/// The exact top contributors of the data the server received (warm-up and measured records),
/// by brute force over the generated records, and the check that the server's top 10 of scope
/// "all" over 60 minutes is identical: the same values in the same order, and every key it names
/// carries exactly that value (ties may be listed in either order).
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

    /// <summary>Queries the server; returns the differences found (empty: both top-10 lists identical).</summary>
    public async Task<IReadOnlyList<string>> CompareAsync(Uri query)
    {
        using var channel = GrpcChannel.ForAddress(query);
        var client = new FlowMeshQuery.FlowMeshQueryClient(channel);
        var problems = new List<string>();
        try
        {
            problems.AddRange(Compare("source addresses by bytes",
                await TopAsync(client, Dimension.SourceAddress, Metric.Bytes),
                _sourceBytes.ToDictionary(p => p.Key.ToString(), p => p.Value, StringComparer.Ordinal)));
            problems.AddRange(Compare("destination ports by flows",
                await TopAsync(client, Dimension.DestinationPort, Metric.Flows),
                _portFlows.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value, StringComparer.Ordinal)));
        }
        catch (RpcException ex)
        {
            problems.Add($"query service unavailable: {ex.StatusCode}: {ex.Status.Detail}");
        }
        return problems;
    }

    private static async Task<IReadOnlyList<Contributor>> TopAsync(FlowMeshQuery.FlowMeshQueryClient client, Dimension dimension, Metric metric)
    {
        var answer = await client.GetTopContributorsAsync(
            new TopContributorsRequest { Scope = new Scope { All = new Empty() }, Dimension = dimension, Metric = metric, Window = Window.SixtyMinutes, Limit = Limit },
            deadline: DateTime.UtcNow.AddSeconds(30));
        return answer.Contributors;
    }

    private static IEnumerable<string> Compare(string what, IReadOnlyList<Contributor> server, Dictionary<string, long> exact)
    {
        var expected = exact.Values.OrderDescending().Take(Limit).ToList();
        if (server.Count != expected.Count)
        {
            yield return $"{what}: server listed {server.Count}, expected {expected.Count}";
            yield break;
        }
        for (var i = 0; i < expected.Count; i++)
        {
            var c = server[i];
            var truth = exact.GetValueOrDefault(c.Label, -1);
            if (c.Value != expected[i] || truth != c.Value || c.ErrorBound != 0)
                yield return $"{what} #{i + 1}: server {c.Label} = {c.Value:N0} (± {c.ErrorBound:N0}), exact value of that key {truth:N0}, exact #{i + 1} value {expected[i]:N0}";
        }
    }
}
