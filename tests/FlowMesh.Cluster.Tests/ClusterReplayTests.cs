using FlowMesh.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace FlowMesh.Cluster.Tests;

/// <summary>
/// The scaled-out topology: three silos, ingest and query in their own processes, Redis
/// membership. A replay through the ingest process must show up exactly in the query process.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class ClusterReplayTests(ITestOutputHelper output)
{
    private static readonly TimeSpan QueryDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Replay_ThreeSilosSeparateIngestAndQuery_TotalsEqualTheDataSet()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await LocalCluster.StartAsync(null, ct);
        var data = ReplayDataSet.Create(seed: 7, records: 40_000, maxBodyBytes: 256 * 1024);

        var results = await Replay.RunAsync(cluster, data, concurrency: 4, acknowledged: null, ct);

        Assert.All(results, r => Assert.True(r.Succeeded, $"{r.RequestId}: {r.StatusCode} {r.ErrorMessage}"));
        using var channel = cluster.OpenQueryChannel();
        var query = new FlowMeshQuery.FlowMeshQueryClient(channel);
        // A 200 means every view holds the delivery, so the totals are exact at once (no polling).
        Assert.Equal(data.All, await AllTotalsAsync(query, ct));
        foreach (var (eni, expected) in data.PerInterface)
        {
            var summary = await query.DescribeInterfaceAsync(
                new DescribeInterfaceRequest { InterfaceId = eni, Window = Window.SixtyMinutes, Limit = 1 },
                deadline: DateTime.UtcNow.Add(QueryDeadline), cancellationToken: ct);
            Assert.Equal(expected, Totals.From(summary.Totals));
        }
        output.WriteLine($"{data.Records:N0} records in {data.Batches.Count} requests, {data.PerInterface.Count} interfaces: exact through 3 silos");
        AssertNoSecretInOutput(cluster);
    }

    [Fact]
    public async Task Stop_SiloSigterm_ExitsWithinTheShutdownTimeoutAndNothingIsLost()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await LocalCluster.StartAsync(null, ct);
        var data = ReplayDataSet.Create(seed: 11, records: 10_000, maxBodyBytes: 256 * 1024);
        Assert.All(await Replay.RunAsync(cluster, data, concurrency: 2, acknowledged: null, ct), r => Assert.True(r.Succeeded, r.ErrorMessage));
        using var channel = cluster.OpenQueryChannel();
        var query = new FlowMeshQuery.FlowMeshQueryClient(channel);
        var silo = cluster.Silos[^1];

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        silo.Terminate();
        await silo.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        stopping.Stop();

        Assert.Equal(0, silo.ExitCode);
        // shutdownTimeoutSeconds is 10 (LocalCluster), as the ConfigMap sets it for Kubernetes.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"graceful stop took {stopping.Elapsed.TotalSeconds:F1} s\n{silo.Tail()}");
        var after = await EventuallyAnsweringAsync(query, ct);
        output.WriteLine($"graceful stop of {silo.Name}: {stopping.Elapsed.TotalSeconds:F1} s, exit code 0; flows after the stop: {after.Flows:N0} of {data.All.Flows:N0}");
        // The stopped silo's grains come back on the others from their journal: nothing is lost.
        Assert.Equal(data.All, after);
        var more = ReplayDataSet.Create(seed: 12, records: 5_000, maxBodyBytes: 256 * 1024);
        Assert.All(await Replay.RunAsync(cluster, more, concurrency: 2, acknowledged: null, ct), r => Assert.True(r.Succeeded, r.ErrorMessage));
        var total = await AllTotalsAsync(query, ct);
        Assert.Equal(data.All.Flows + more.All.Flows, total.Flows);
        Assert.Equal(data.All.Bytes + more.All.Bytes, total.Bytes);
        AssertNoSecretInOutput(cluster);
    }

    internal static async Task<Totals> AllTotalsAsync(FlowMeshQuery.FlowMeshQueryClient query, CancellationToken ct)
    {
        var answer = await query.GetTopContributorsAsync(
            new TopContributorsRequest { Scope = new Scope { All = new Empty() }, Window = Window.SixtyMinutes, Limit = 1 },
            deadline: DateTime.UtcNow.Add(QueryDeadline), cancellationToken: ct);
        return Totals.From(answer.Totals);
    }

    private static async Task<Totals> EventuallyAnsweringAsync(FlowMeshQuery.FlowMeshQueryClient query, CancellationToken ct)
    {
        Totals? totals = null;
        string last = "no answer yet";
        await Poll.UntilAsync(async () =>
        {
            try
            {
                totals = await AllTotalsAsync(query, ct);
                return true;
            }
            catch (Grpc.Core.RpcException ex)
            {
                last = $"{ex.StatusCode}: {ex.Status.Detail}";
                return false;
            }
        }, TimeSpan.FromSeconds(60), () => $"query answers ({last})", ct);
        return totals!;
    }

    internal static void AssertNoSecretInOutput(LocalCluster cluster)
    {
        foreach (var process in cluster.Processes)
        {
            var text = process.Output;
            Assert.False(text.Contains(cluster.Redis.Password, StringComparison.Ordinal), $"{process.Name} logged the Redis password");
            Assert.False(text.Contains(cluster.AccessKey, StringComparison.Ordinal), $"{process.Name} logged the Firehose access key");
        }
    }
}
