using Orleans.Concurrency;

namespace FlowMesh.Grains;

/// <summary>Operations every aggregation grain (interface, address, leaderboard) offers.</summary>
public interface IFlowViewGrain
{
    /// <summary>Applies one flush's rows for this key; a flush id already applied is ignored (Duplicate = true).</summary>
    [Alias("Apply")]
    Task<ApplyResult> ApplyAsync(FlowDelta delta);

    /// <summary>
    /// Top contributors over a window. Read-only and always interleaved: it runs between the chunks of a large
    /// apply instead of waiting for all of it (a leaderboard applies every row of its scope), and may see part of a flush.
    /// </summary>
    [AlwaysInterleave, Alias("GetTopContributors")]
    Task<TopContributorsSnapshot> GetTopContributorsAsync(TopContributorsQuery query);

    /// <summary>The current data version: changes only when applied data changes. Always interleaved, like the query.</summary>
    [AlwaysInterleave, Alias("GetVersion")]
    Task<long> GetVersionAsync();
}

/// <summary>Rolling state of one network interface (ENI), keyed by interface id.</summary>
[Alias("flowmesh.IInterfaceGrain")]
public interface IInterfaceGrain : IGrainWithStringKey, IFlowViewGrain
{
    /// <summary>The interface's summary, or null when it has never been seen.</summary>
    [ReadOnly, Alias("Describe")]
    Task<InterfaceSummary?> DescribeAsync(Aggregation.Window window, int limit);
}

/// <summary>Rolling state of one IP address, keyed by its canonical text.</summary>
[Alias("flowmesh.IAddressGrain")]
public interface IAddressGrain : IGrainWithStringKey, IFlowViewGrain
{
    /// <summary>The address's summary, or null when it has never been seen.</summary>
    [ReadOnly, Alias("Describe")]
    Task<AddressSummary?> DescribeAsync(Aggregation.Window window, int limit);

    /// <summary>The retained hour's connection records between this address and <paramref name="peer"/>, both directions.</summary>
    [ReadOnly, Alias("GetConnectionRecords")]
    Task<ConnectionRecords> GetConnectionRecordsAsync(FlowLogs.FlowAddress peer);
}

/// <summary>Top contributors for a scope (all, account:…, vpc:…).</summary>
[Alias("flowmesh.ILeaderboardGrain")]
public interface ILeaderboardGrain : IGrainWithStringKey, IFlowViewGrain
{
}

/// <summary>Cluster-wide memory of applied Firehose request ids, partitioned by <see cref="GrainKeys.DeliveryLedger"/>.</summary>
[Alias("flowmesh.IDeliveryLedgerGrain")]
public interface IDeliveryLedgerGrain : IGrainWithIntegerKey
{
    [ReadOnly, Alias("IsApplied")]
    Task<bool> IsAppliedAsync(string requestId);

    [Alias("MarkApplied")]
    Task MarkAppliedAsync(IReadOnlyList<string> requestIds);
}
