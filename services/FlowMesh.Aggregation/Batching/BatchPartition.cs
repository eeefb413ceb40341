using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation.Batching;

/// <summary>
/// The rows of one flush split per grain key. A row goes to its interface, to its source and
/// destination addresses (once if they are equal), and to every leaderboard scope it belongs to.
/// Each key's rows are one slice of a single arena, ready to be sent as a grain delta without copying;
/// with <see cref="PartitionBuffers"/> the arena and the work arrays are reused from flush to flush.
/// </summary>
public sealed class BatchPartition
{
    // Interface, source, destination, and the three scopes (all, account, VPC).
    private const int MaxTargets = 6;

    private BatchPartition(
        Dictionary<string, ReadOnlyMemory<FlowRow>> interfaces,
        Dictionary<FlowAddress, ReadOnlyMemory<FlowRow>> addresses,
        Dictionary<string, ReadOnlyMemory<FlowRow>> scopes,
        Dictionary<string, InterfaceMetadata> metadata)
    {
        Interfaces = interfaces;
        Addresses = addresses;
        Scopes = scopes;
        Metadata = metadata;
    }

    public IReadOnlyDictionary<string, ReadOnlyMemory<FlowRow>> Interfaces { get; }
    public IReadOnlyDictionary<FlowAddress, ReadOnlyMemory<FlowRow>> Addresses { get; }
    public IReadOnlyDictionary<string, ReadOnlyMemory<FlowRow>> Scopes { get; }
    public IReadOnlyDictionary<string, InterfaceMetadata> Metadata { get; }

    /// <summary>Number of grain calls this partition needs (one per key).</summary>
    public int GrainCalls => Interfaces.Count + Addresses.Count + Scopes.Count;

    public static BatchPartition Build(IEnumerable<FlowRow> rows, IEnumerable<InterfaceMetadata> interfaces)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var all = rows as FlowRow[] ?? [.. rows];
        return Build(all, interfaces, new PartitionBuffers());
    }

    /// <summary>
    /// Splits <paramref name="rows"/> (which "all" receives as they are) into slices of <paramref name="buffers"/>'
    /// arena. The partition is valid until <paramref name="buffers"/> is used again.
    /// </summary>
    public static BatchPartition Build(ReadOnlyMemory<FlowRow> rows, IEnumerable<InterfaceMetadata> interfaces, PartitionBuffers buffers)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        ArgumentNullException.ThrowIfNull(buffers);
        var all = rows.Span;

        // Pass 1 counts rows per key and notes each row's targets; pass 2 fills each key's slice of the arena.
        // Scope keys are built once per account or VPC, not once per row.
        // The key tables are the buffers' own, emptied (their grown storage kept) for each partition.
        var byInterface = new Grouping<string>(buffers.InterfaceGroups);
        var byAddress = new Grouping<FlowAddress>(buffers.AddressGroups);
        var byScope = new Grouping<string>(buffers.ScopeGroups);
        var scopeNames = buffers.ScopeNames;
        if (scopeNames.Count > PartitionBuffers.MaxScopeNames) scopeNames.Clear();
        var targets = PartitionBuffers.AtLeast(ref buffers.Targets, all.Length * MaxTargets);
        var sizes = buffers.Sizes;
        sizes.Clear();
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

        // Group g owns arena[start .. start + sizes[g]), start being the sum of the sizes before it; next[g] is where its next row goes.
        var groups = sizes.Count;
        var next = PartitionBuffers.AtLeast(ref buffers.Offsets, groups);
        var total = 0;
        for (var g = 0; g < groups; g++)
        {
            next[g] = total;
            total += sizes[g];
        }
        var arena = PartitionBuffers.AtLeast(ref buffers.Arena, total);
        buffers.Used(total);
        for (var i = 0; i < all.Length; i++)
        {
            for (var t = i * MaxTargets; t < (i + 1) * MaxTargets; t++)
            {
                var g = targets[t];
                if (g >= 0) arena[next[g]++] = all[i];
            }
        }

        // next[g] is now the end of group g's slice.
        var memory = arena.AsMemory();
        var scopes = byScope.ToDictionary(memory, next, sizes);
        if (all.Length > 0) scopes[LeaderboardScope.All] = rows;
        var metadata = interfaces.ToDictionary(m => m.InterfaceId, StringComparer.Ordinal);
        return new BatchPartition(byInterface.ToDictionary(memory, next, sizes), byAddress.ToDictionary(memory, next, sizes), scopes, metadata);
    }

    private static string ScopeName(Dictionary<(bool Vpc, string Id), string> names, bool vpc, string id)
    {
        if (!names.TryGetValue((vpc, id), out var name))
            names[(vpc, id)] = name = vpc ? LeaderboardScope.ForVpc(id) : LeaderboardScope.ForAccount(id);
        return name;
    }

    /// <summary>Keys of one grain type, each with a group number shared across types (an index into the arrays).</summary>
    private readonly struct Grouping<TKey> where TKey : notnull
    {
        private readonly Dictionary<TKey, int> _groups;

        public Grouping(Dictionary<TKey, int> reused)
        {
            reused.Clear();
            _groups = reused;
        }

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

        public Dictionary<TKey, ReadOnlyMemory<FlowRow>> ToDictionary(ReadOnlyMemory<FlowRow> arena, int[] ends, List<int> sizes)
        {
            var result = new Dictionary<TKey, ReadOnlyMemory<FlowRow>>(_groups.Count, _groups.Comparer);
            foreach (var (key, group) in _groups) result[key] = arena.Slice(ends[group] - sizes[group], sizes[group]);
            return result;
        }
    }
}

/// <summary>
/// The arrays <see cref="BatchPartition.Build(ReadOnlyMemory{FlowRow}, IEnumerable{InterfaceMetadata}, PartitionBuffers)"/>
/// fills: reused by the next flush only when no grain call may still read the previous partition's slices.
/// Large flushes otherwise allocate their row copies on the large-object heap every time, and each
/// such allocation can start a gen-2 collection.
/// </summary>
public sealed class PartitionBuffers
{
    internal FlowRow[] Arena = [];
    internal int[] Targets = [];
    internal int[] Offsets = [];

    internal FlowRow[] Rows = [];

    // Per-partition key tables, emptied and refilled by each partition so their storage is not rebuilt every flush.
    internal readonly Dictionary<string, int> InterfaceGroups = new(StringComparer.Ordinal);
    internal readonly Dictionary<FlowAddress, int> AddressGroups = [];
    internal readonly Dictionary<string, int> ScopeGroups = new(StringComparer.Ordinal);
    internal readonly List<int> Sizes = [];

    /// <summary>Leaderboard scope keys by account or VPC id, kept across partitions (emptied past <see cref="MaxScopeNames"/>).</summary>
    internal readonly Dictionary<(bool Vpc, string Id), string> ScopeNames = [];

    internal const int MaxScopeNames = 4_096;

    /// <summary>Below this many rows (a few MB) the arena is always worth keeping.</summary>
    public const int AlwaysKeptArenaRows = 16_384;

    /// <summary>Rows the arena can hold without growing.</summary>
    public int ArenaCapacity => Arena.Length;

    /// <summary>Arena rows the last partition used.</summary>
    public int LastArenaRows { get; private set; }

    /// <summary>
    /// The most arena rows a recent partition used: the largest need seen, shrinking by a sixteenth at every
    /// partition, so a burst's size is remembered for a few flushes and forgotten after a few dozen.
    /// </summary>
    public int RecentPeakRows { get; private set; }

    internal void Used(int rows)
    {
        LastArenaRows = rows;
        RecentPeakRows = Math.Max(rows, RecentPeakRows - (RecentPeakRows / 16));
    }

    /// <summary>
    /// Whether to keep these buffers for the next flush. Deliveries vary (one tiny delivery often flushes alone
    /// between large ones), so the arena is kept while it is at most four times <see cref="RecentPeakRows"/>;
    /// otherwise every small flush would let it go and the next large one allocate it again on the large-object
    /// heap. A burst (up to <c>GroupCommit:MaxRowsPerFlush</c> × 6 rows, hundreds of MB) does not pin its memory
    /// for good: after 16 to 22 much smaller flushes the arena is let go, and the next flush allocates what it needs.
    /// </summary>
    public bool WorthKeeping => Arena.Length <= Math.Max(AlwaysKeptArenaRows, 4L * RecentPeakRows);

    /// <summary>Returns <paramref name="array"/>, replaced first by a larger one if it holds fewer than <paramref name="length"/> items.</summary>
    internal static T[] AtLeast<T>(ref T[] array, int length)
    {
        if (array.Length < length) array = new T[Math.Max(length, array.Length + (array.Length / 2))];
        return array;
    }
}
