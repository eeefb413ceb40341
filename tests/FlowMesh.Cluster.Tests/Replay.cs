using FlowMesh.Traffic;

namespace FlowMesh.Cluster.Tests;

/// <summary>Delivers a data set to the ingest process as Firehose does: parallel requests, retries with the same request id.</summary>
internal static class Replay
{
    public static async Task<FirehoseSendResult[]> RunAsync(
        LocalCluster cluster, ReplayDataSet data, int concurrency, Action<int>? acknowledged, CancellationToken cancellationToken)
    {
        // Firehose waits up to 180 s for an answer (its HTTP endpoint timeout), so the replay does too.
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        var client = new FirehoseClient(http, new FirehoseClientOptions
        {
            Endpoint = cluster.FirehoseEndpoint,
            AccessKey = cluster.AccessKey,
            MaxAttempts = 15,
            InitialBackoff = TimeSpan.FromMilliseconds(250),
            MaxBackoff = TimeSpan.FromSeconds(4),
        });
        var results = new FirehoseSendResult[data.Batches.Count];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, data.Batches.Count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                results[i] = await client.SendAsync(data.Batches[i], ct);
                acknowledged?.Invoke(Interlocked.Increment(ref done));
            });
        return results;
    }
}
