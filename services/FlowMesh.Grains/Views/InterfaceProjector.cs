using FlowMesh.Aggregation;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Grains.Views;

/// <summary>
/// An interface ranks its peers (remote addresses), its own local addresses, ports, protocols
/// and pairs. Which side of a row is local: flow-direction when the format has it (ingress →
/// destination, egress → source); otherwise the side the <see cref="LocalAddressTracker"/> has
/// seen more often on this interface — every record of an ENI carries one of its own addresses.
/// </summary>
internal struct InterfaceProjector(LocalAddressTracker tracker) : IRowProjector
{
    public static readonly Dimension[] Dimensions =
    [
        Dimension.PeerAddress, Dimension.LocalAddress, Dimension.DestinationPort, Dimension.Protocol, Dimension.AddressPair,
    ];

    public readonly bool Accepts(in FlowRow row) => true;

    public readonly void Project(ContributorBoard board, in FlowRow row)
    {
        RowProjection.AddTotals(board, in row);
        if (row.IsNoTraffic) return;
        var k = row.Key;
        var (local, remote) = tracker.SourceIsLocal(in row) ? (k.Source, k.Destination) : (k.Destination, k.Source);
        if (!remote.IsAbsent) RowProjection.Add(board, Dimension.PeerAddress, ContributorKey.ForAddress(remote), in row);
        if (!local.IsAbsent) RowProjection.Add(board, Dimension.LocalAddress, ContributorKey.ForAddress(local), in row);
        if (k.DestinationPort >= 0) RowProjection.Add(board, Dimension.DestinationPort, RowProjection.Port(in row), in row);
        if (k.Protocol >= 0) RowProjection.Add(board, Dimension.Protocol, RowProjection.Protocol(in row), in row);
        if (!k.Source.IsAbsent && !k.Destination.IsAbsent)
            RowProjection.Add(board, Dimension.AddressPair, ContributorKey.ForPair(k.Source, k.Destination), in row);
    }
}

/// <summary>
/// Learns an interface's own addresses (bounded, Space-Saving): how many flows each address took
/// part in, and how many flows each address was the local side of. The local side is the one
/// flow-direction names, or else the address seen more often on this interface.
/// </summary>
internal sealed class LocalAddressTracker
{
    private readonly SpaceSaving<FlowAddress> _seen = new(16);
    private readonly SpaceSaving<FlowAddress> _local = new(8);

    /// <summary>Counts a row once (call it once per applied row, not once per view).</summary>
    public void Observe(in FlowRow row)
    {
        if (row.IsNoTraffic || row.Flows == 0) return;
        var k = row.Key;
        if (!k.Source.IsAbsent) _seen.Add(k.Source, row.Flows);
        if (!k.Destination.IsAbsent) _seen.Add(k.Destination, row.Flows);
        var local = SourceIsLocal(in row) ? k.Source : k.Destination;
        if (!local.IsAbsent) _local.Add(local, row.Flows);
    }

    /// <summary>True when the row's source is the interface's own address.</summary>
    public bool SourceIsLocal(in FlowRow row) => row.Key.Direction switch
    {
        FlowDirection.Egress => true,
        FlowDirection.Ingress => false,
        _ => Count(row.Key.Source) > Count(row.Key.Destination),
    };

    /// <summary>
    /// The interface's own addresses, most used first. Addresses with under 5 % of the top one's
    /// flows are left out: without flow-direction, the first rows of a new interface can pick the
    /// wrong side before the counts settle.
    /// </summary>
    public IReadOnlyList<FlowAddress> Likely(int limit)
    {
        var top = _local.Top(limit);
        if (top.Count == 0) return [];
        var floor = Math.Max(1, top[0].Count / 20);
        return [.. top.Where(e => e.Count >= floor).Select(e => e.Key)];
    }

    private long Count(FlowAddress address) => _seen.TryGet(address, out var e) ? e.Count : 0;
}
