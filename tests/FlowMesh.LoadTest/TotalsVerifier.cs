using FlowMesh.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace FlowMesh.LoadTest;

/// <summary>
/// Reads the exact 60-minute totals of scope "all" through the public gRPC API before and after a
/// run; the difference must equal the totals summed from the generated records.
/// </summary>
internal sealed class TotalsVerifier(Uri query) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(query);

    /// <summary>The server's totals, or null (with the reason) when the query service cannot answer.</summary>
    public async Task<(TrafficTotals? Totals, string? Error)> ReadAsync()
    {
        var client = new FlowMeshQuery.FlowMeshQueryClient(_channel);
        try
        {
            var answer = await client.GetTopContributorsAsync(
                new TopContributorsRequest { Scope = new Scope { All = new Empty() }, Window = Window.SixtyMinutes, Limit = 1 },
                deadline: DateTime.UtcNow.AddSeconds(30));
            return (answer.Totals ?? new TrafficTotals(), null);
        }
        catch (RpcException ex)
        {
            return (null, $"{ex.StatusCode}: {ex.Status.Detail}");
        }
    }

    /// <summary>Field-by-field comparison of (after − before) with the expectation; empty when everything matches.</summary>
    public static IReadOnlyList<string> Compare(TrafficTotals before, TrafficTotals after, ExpectedTotals expected)
    {
        var actual = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["flows"] = after.Flows - before.Flows,
            ["packets"] = after.Packets - before.Packets,
            ["bytes"] = after.Bytes - before.Bytes,
            ["acceptedFlows"] = after.AcceptedFlows - before.AcceptedFlows,
            ["rejectedFlows"] = after.RejectedFlows - before.RejectedFlows,
            ["noDataRecords"] = after.NoDataRecords - before.NoDataRecords,
            ["skipDataRecords"] = after.SkipDataRecords - before.SkipDataRecords,
        };
        return [.. expected.ToDictionary()
            .Where(p => actual[p.Key] != p.Value)
            .Select(p => $"{p.Key}: expected {p.Value:N0}, server {actual[p.Key]:N0}")];
    }

    public void Dispose() => _channel.Dispose();
}
