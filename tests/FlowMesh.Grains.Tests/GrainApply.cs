using FlowMesh.FlowLogs;

namespace FlowMesh.Grains.Tests;

/// <summary>Applies records to every grain they concern, the way one flush of the group commit does.</summary>
internal static class GrainApply
{
    public static async Task<Guid> ApplyAsync(IGrainFactory grains, IEnumerable<FlowRecord> records, Guid? flushId = null)
    {
        var id = flushId ?? Guid.NewGuid();
        var partition = TestTraffic.Combine(records).Partition();
        var calls = new List<Task<ApplyResult>>();
        foreach (var (scope, rows) in partition.Scopes)
            calls.Add(grains.GetGrain<ILeaderboardGrain>(GrainKeys.Leaderboard(scope)).ApplyAsync(new FlowDelta(id, rows)));
        foreach (var (eni, rows) in partition.Interfaces)
            calls.Add(grains.GetGrain<IInterfaceGrain>(GrainKeys.Interface(eni)).ApplyAsync(new FlowDelta(id, rows, partition.Metadata[eni])));
        foreach (var (address, rows) in partition.Addresses)
            calls.Add(grains.GetGrain<IAddressGrain>(GrainKeys.Address(address)).ApplyAsync(new FlowDelta(id, rows)));
        await Task.WhenAll(calls);
        return id;
    }

    public static string UniqueVpc() => "vpc-" + Guid.NewGuid().ToString("N")[..17];

    public static string[] UniqueEnis(int count) =>
        Enumerable.Range(0, count).Select(_ => "eni-" + Guid.NewGuid().ToString("N")[..17]).ToArray();
}
