using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation.Batching;

/// <summary>
/// The rows of one flush split per grain key. A row goes to its interface, to its source and
/// destination addresses (once if they are equal), and to every leaderboard scope it belongs to.
/// </summary>
public sealed class BatchPartition
{
    private BatchPartition(
        Dictionary<string, List<FlowRow>> interfaces,
        Dictionary<FlowAddress, List<FlowRow>> addresses,
        Dictionary<string, List<FlowRow>> scopes,
        Dictionary<string, InterfaceMetadata> metadata)
    {
        Interfaces = interfaces;
        Addresses = addresses;
        Scopes = scopes;
        Metadata = metadata;
    }

    public IReadOnlyDictionary<string, List<FlowRow>> Interfaces { get; }
    public IReadOnlyDictionary<FlowAddress, List<FlowRow>> Addresses { get; }
    public IReadOnlyDictionary<string, List<FlowRow>> Scopes { get; }
    public IReadOnlyDictionary<string, InterfaceMetadata> Metadata { get; }

    /// <summary>Number of grain calls this partition needs (one per key).</summary>
    public int GrainCalls => Interfaces.Count + Addresses.Count + Scopes.Count;

    public static BatchPartition Build(IEnumerable<FlowRow> rows, IEnumerable<InterfaceMetadata> interfaces)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(interfaces);
        var byInterface = new Dictionary<string, List<FlowRow>>(StringComparer.Ordinal);
        var byAddress = new Dictionary<FlowAddress, List<FlowRow>>();
        var byScope = new Dictionary<string, List<FlowRow>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var key = row.Key;
            if (key.InterfaceId is { } eni) Add(byInterface, eni, row);
            if (!key.Source.IsAbsent) Add(byAddress, key.Source, row);
            if (!key.Destination.IsAbsent && key.Destination != key.Source) Add(byAddress, key.Destination, row);
            Add(byScope, LeaderboardScope.All, row);
            if (key.AccountId is { } account) Add(byScope, LeaderboardScope.ForAccount(account), row);
            if (key.VpcId is { } vpc) Add(byScope, LeaderboardScope.ForVpc(vpc), row);
        }
        var metadata = interfaces.ToDictionary(m => m.InterfaceId, StringComparer.Ordinal);
        return new BatchPartition(byInterface, byAddress, byScope, metadata);
    }

    private static void Add<TKey>(Dictionary<TKey, List<FlowRow>> map, TKey key, FlowRow row) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(row);
    }
}
