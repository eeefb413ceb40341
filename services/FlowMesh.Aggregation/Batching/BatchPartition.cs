using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation.Batching;

/// <summary>
/// The rows of one flush split per grain key. A row goes to its interface, to its source and
/// destination addresses (once if they are equal), and to every leaderboard scope it belongs to.
/// Each key's rows are one exactly sized array, ready to be sent as a grain delta without copying.
/// </summary>
public sealed class BatchPartition
{
    // Interface, source, destination, and the three scopes (all, account, VPC).
    private const int MaxTargets = 6;

    private BatchPartition(
        Dictionary<string, FlowRow[]> interfaces,
        Dictionary<FlowAddress, FlowRow[]> addresses,
        Dictionary<string, FlowRow[]> scopes,
        Dictionary<string, InterfaceMetadata> metadata)
    {
        Interfaces = interfaces;
        Addresses = addresses;
        Scopes = scopes;
        Metadata = metadata;
    }

    public IReadOnlyDictionary<string, FlowRow[]> Interfaces { get; }
    public IReadOnlyDictionary<FlowAddress, FlowRow[]> Addresses { get; }
    public IReadOnlyDictionary<string, FlowRow[]> Scopes { get; }
    public IReadOnlyDictionary<string, InterfaceMetadata> Metadata { get; }

    /// <summary>Number of grain calls this partition needs (one per key).</summary>
    public int GrainCalls => Interfaces.Count + Addresses.Count + Scopes.Count;

    public static BatchPartition Build(IEnumerable<FlowRow> rows, IEnumerable<InterfaceMetadata> interfaces)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(interfaces);
        var all = rows as FlowRow[] ?? [.. rows];

        // Pass 1 counts rows per key and notes each row's targets; pass 2 fills exactly sized arrays.
        // Scope keys are built once per account or VPC, not once per row.
        var byInterface = new Grouping<string>(StringComparer.Ordinal);
        var byAddress = new Grouping<FlowAddress>(EqualityComparer<FlowAddress>.Default);
        var byScope = new Grouping<string>(StringComparer.Ordinal);
        var scopeNames = new Dictionary<(bool Vpc, string Id), string>();
        var targets = new int[all.Length * MaxTargets];
        var sizes = new List<int>();
        for (var i = 0; i < all.Length; i++)
        {
            var key = all[i].Key;
            var at = i * MaxTargets;
            targets[at] = key.InterfaceId is { } eni ? byInterface.Count(eni, sizes) : -1;
            targets[at + 1] = key.Source.IsAbsent ? -1 : byAddress.Count(key.Source, sizes);
            targets[at + 2] = key.Destination.IsAbsent || key.Destination == key.Source ? -1 : byAddress.Count(key.Destination, sizes);
            targets[at + 3] = key.AccountId is { } account ? byScope.Count(ScopeName(scopeNames, vpc: false, account), sizes) : -1;
            targets[at + 4] = key.VpcId is { } vpcId ? byScope.Count(ScopeName(scopeNames, vpc: true, vpcId), sizes) : -1;
            targets[at + 5] = -1; // "all" holds every row: it gets the whole array below, uncopied.
        }

        var arrays = new FlowRow[sizes.Count][];
        for (var g = 0; g < arrays.Length; g++) arrays[g] = new FlowRow[sizes[g]];
        var filled = new int[arrays.Length];
        for (var i = 0; i < all.Length; i++)
        {
            for (var t = i * MaxTargets; t < (i + 1) * MaxTargets; t++)
            {
                var g = targets[t];
                if (g >= 0) arrays[g][filled[g]++] = all[i];
            }
        }

        var scopes = byScope.ToDictionary(arrays);
        if (all.Length > 0) scopes[LeaderboardScope.All] = all;
        var metadata = interfaces.ToDictionary(m => m.InterfaceId, StringComparer.Ordinal);
        return new BatchPartition(byInterface.ToDictionary(arrays), byAddress.ToDictionary(arrays), scopes, metadata);
    }

    private static string ScopeName(Dictionary<(bool Vpc, string Id), string> names, bool vpc, string id)
    {
        if (!names.TryGetValue((vpc, id), out var name))
            names[(vpc, id)] = name = vpc ? LeaderboardScope.ForVpc(id) : LeaderboardScope.ForAccount(id);
        return name;
    }

    /// <summary>Keys of one grain type, each with a group number shared across types (an index into the arrays).</summary>
    private sealed class Grouping<TKey>(IEqualityComparer<TKey> comparer) where TKey : notnull
    {
        private readonly Dictionary<TKey, int> _groups = new(comparer);

        public int Count(TKey key, List<int> sizes)
        {
            ref var group = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_groups, key, out var exists);
            if (!exists)
            {
                group = sizes.Count;
                sizes.Add(0);
            }
            sizes[group]++;
            return group;
        }

        public Dictionary<TKey, FlowRow[]> ToDictionary(FlowRow[][] arrays)
        {
            var result = new Dictionary<TKey, FlowRow[]>(_groups.Count, _groups.Comparer);
            foreach (var (key, group) in _groups) result[key] = arrays[group];
            return result;
        }
    }
}
