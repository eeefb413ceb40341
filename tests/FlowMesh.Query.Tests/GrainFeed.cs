using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;
using FlowMesh.Grains;

namespace FlowMesh.Query.Tests;

/// <summary>Applies records to every grain they concern, the way one flush of the ingest group commit does.</summary>
internal static class GrainFeed
{
    public static async Task ApplyAsync(IGrainFactory grains, IEnumerable<FlowRecord> records)
    {
        var id = Guid.NewGuid();
        var combiner = new FlowBatchCombiner();
        foreach (var r in records) combiner.OnRecord(in r);
        var partition = combiner.Partition();
        var calls = new List<Task<ApplyResult>>();
        foreach (var (scope, rows) in partition.Scopes)
            calls.Add(grains.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard(scope)).ApplyAsync(new FlowDelta(id, rows)));
        foreach (var (eni, rows) in partition.Interfaces)
            calls.Add(grains.GetGrain<IInterfaceGrain>(GrainKeys.Interface(eni)).ApplyAsync(new FlowDelta(id, rows, partition.Metadata[eni])));
        foreach (var (address, rows) in partition.Addresses)
            calls.Add(grains.GetGrain<IAddressGrain>(GrainKeys.Address(address)).ApplyAsync(new FlowDelta(id, rows)));
        var results = await Task.WhenAll(calls);
        // Records are timestamped relative to now, so none may be late or in the future.
        Assert.All(results, r => Assert.Equal(0, r.LateFlows + r.FutureFlows));
    }

    public static string UniqueVpc() => "vpc-" + Guid.NewGuid().ToString("N")[..17];

    public static string UniqueAccount() => string.Concat(Guid.NewGuid().ToByteArray().Take(6).Select(b => (b % 100).ToString("00", System.Globalization.CultureInfo.InvariantCulture)));

    public static string[] UniqueEnis(int count) =>
        Enumerable.Range(0, count).Select(_ => "eni-" + Guid.NewGuid().ToString("N")[..17]).ToArray();
}
