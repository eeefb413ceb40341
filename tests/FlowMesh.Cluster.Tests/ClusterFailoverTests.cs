using System.Globalization;
using FlowMesh.Contracts.V1;
using FlowMesh.Traffic;

namespace FlowMesh.Cluster.Tests;

/// <summary>
/// A silo dies (SIGKILL) in the middle of a replay. The replay's retries succeed, queries keep
/// answering after a bounded gap, and afterwards every total equals the data set exactly: the
/// grains that lived on the killed silo are activated elsewhere and replay their Redis journal
/// (every flush they acknowledged, FlowMesh:Durability:Journal = Redis, the default on Redis
/// membership), the delivery ledger replays the request ids it recorded, and a flush retried after
/// the kill is recognised by its flush id instead of being counted again.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> FastFailureDetection = new(StringComparer.Ordinal)
    {
        // Declare a dead silo within a few seconds instead of Orleans' production defaults
        // (FlowMesh:Cluster:Membership binds Orleans' ClusterMembershipOptions).
        ["FlowMesh__Cluster__Membership__ProbeTimeout"] = "00:00:01",
        ["FlowMesh__Cluster__Membership__NumMissedProbesLimit"] = "2",
        // A delivery stuck on the dead silo is answered 503 (Firehose retries) instead of waiting a minute.
        ["FlowMesh__Ingest__CommitTimeout"] = "00:00:10",
        // A grain call that was in flight to the killed silo fails after 5 s instead of 30 s.
        ["FlowMesh__Cluster__Messaging__ResponseTimeout"] = "00:00:05",
    };

    [Fact]
    public async Task Replay_SiloKilledMidReplay_RetriesSucceedAndQueriesRecover()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await LocalCluster.StartAsync(FastFailureDetection, ct);
        var data = ReplayDataSet.Create(seed: 23, records: 60_000, maxBodyBytes: 64 * 1024);
        using var channel = cluster.OpenQueryChannel();
        var query = new FlowMeshQuery.FlowMeshQueryClient(channel);
        var victim = cluster.Silos[1];
        var killAt = TimeSpan.Zero;
        var killThreshold = data.Batches.Count / 3;
        var killed = 0;

        FirehoseSendResult[] results;
        var acknowledgedAt = new System.Collections.Concurrent.ConcurrentBag<TimeSpan>();
        await using (var monitor = new QueryMonitor(query, [.. data.PerInterface.Keys.Order(StringComparer.Ordinal)]))
        {
            results = await Replay.RunAsync(cluster, data, concurrency: 2, acknowledged: done =>
            {
                acknowledgedAt.Add(monitor.Now);
                if (done >= killThreshold && Interlocked.Exchange(ref killed, 1) == 0)
                {
                    killAt = monitor.Now;
                    victim.KillHard();
                }
            }, ct);
            var replayEnded = monitor.Now;
            // Recovered: twenty answers in a row (2 s) after the replay.
            await Poll.UntilAsync(() => Task.FromResult(monitor.TrailingSuccesses >= 20 && monitor.Now > replayEnded),
                TimeSpan.FromSeconds(60), () => $"queries answer again; errors: {string.Join(" | ", monitor.DistinctErrors)}", ct);

            var gap = monitor.LongestGap(killAt);
            var recovery = monitor.RecoveredAfter(killAt);
            var retried = results.Where(r => r.Retries > 0).ToList();
            var acks = acknowledgedAt.Order().ToList();
            var ingestStall = acks.Zip(acks.Skip(1), (a, b) => b - a).DefaultIfEmpty().Max();
            var firstAckAfterKill = acks.FirstOrDefault(a => a > killAt) - killAt;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{data.Records:N0} records in {data.Batches.Count} requests; silo2 SIGKILLed after {killThreshold} acknowledged, at {killAt.TotalSeconds:F1} s; replay ended at {replayEnded.TotalSeconds:F1} s"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"queries: {monitor.Samples.Count} asked, {monitor.Failures} failed ({monitor.Samples.Count(x => !x.Ok && x.At >= killAt)} after the kill), {monitor.NotFound} interface summaries NotFound (no data for it yet); longest gap after the kill {gap.TotalSeconds:F2} s; recovered {recovery.TotalSeconds:F2} s after the kill"));
            output.WriteLine($"query errors: {string.Join(" | ", monitor.DistinctErrors)}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"deliveries retried: {retried.Count} of {results.Length} (max {results.Max(r => r.Retries)} retries, slowest {results.Max(r => r.Elapsed).TotalSeconds:F1} s); longest time without any acknowledgement {ingestStall.TotalSeconds:F1} s; first acknowledgement {firstAckAfterKill.TotalSeconds:F1} s after the kill"));

            Assert.Equal(1, killed);
            Assert.True(victim.HasExited);
            Assert.All(results, r => Assert.True(r.Succeeded, $"{r.RequestId}: {r.StatusCode} {r.ErrorMessage} after {r.Attempts} attempts"));
            Assert.True(gap < TimeSpan.FromSeconds(30), $"queries failed for {gap.TotalSeconds:F1} s");
        }

        await AssertExactAsync(query, data, ct);
        ClusterReplayTests.AssertNoSecretInOutput(cluster);
    }

    /// <summary>Prints how the totals after the crash differ from the data set, then asserts there is no difference.</summary>
    private async Task AssertExactAsync(FlowMeshQuery.FlowMeshQueryClient query, ReplayDataSet data, CancellationToken ct)
    {
        var all = await ClusterReplayTests.AllTotalsAsync(query, ct);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"all-traffic flows: expected {data.All.Flows:N0}, cluster {all.Flows:N0} ({all.Flows - data.All.Flows:+#,0;-#,0;0}); bytes {all.Bytes - data.All.Bytes:+#,0;-#,0;0}"));
        var actual = new Dictionary<string, Totals>(StringComparer.Ordinal);
        foreach (var eni in data.PerInterface.Keys)
        {
            var summary = await query.DescribeInterfaceAsync(new DescribeInterfaceRequest { InterfaceId = eni, Window = Window.SixtyMinutes, Limit = 1 },
                deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct);
            actual[eni] = Totals.From(summary.Totals);
        }
        var differing = data.PerInterface.Where(p => actual[p.Key] != p.Value).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"interfaces: {data.PerInterface.Count - differing.Count} of {data.PerInterface.Count} exact; differing: {string.Join(", ", differing.Select(p => $"{p.Key} flows {actual[p.Key].Flows - p.Value.Flows:+#,0;-#,0;0}"))}"));
        Assert.Equal(data.All, all);
        Assert.Empty(differing);
    }
}
