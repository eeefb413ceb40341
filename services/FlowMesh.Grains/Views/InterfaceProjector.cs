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
        var sourceIsLocal = k.Direction switch
        {
            FlowDirection.Egress => true,
            FlowDirection.Ingress => false,
            _ => tracker.IsMoreLocal(k.Source, k.Destination),
        };
        var (local, remote) = sourceIsLocal ? (k.Source, k.Destination) : (k.Destination, k.Source);
        if (!remote.IsAbsent) RowProjection.Add(board, Dimension.PeerAddress, ContributorKey.ForAddress(remote), in row);
        if (!local.IsAbsent) RowProjection.Add(board, Dimension.LocalAddress, ContributorKey.ForAddress(local), in row);
        if (k.DestinationPort >= 0) RowProjection.Add(board, Dimension.DestinationPort, RowProjection.Port(in row), in row);
        if (k.Protocol >= 0) RowProjection.Add(board, Dimension.Protocol, RowProjection.Protocol(in row), in row);
        if (!k.Source.IsAbsent && !k.Destination.IsAbsent)
            RowProjection.Add(board, Dimension.AddressPair, ContributorKey.ForPair(k.Source, k.Destination), in row);
    }
}

/// <summary>Counts, per interface, how many flows each address took part in (bounded, Space-Saving).</summary>
internal sealed class LocalAddressTracker
{
    private readonly SpaceSaving<FlowAddress> _seen = new(16);

    public void Observe(in FlowRow row)
    {
        if (row.IsNoTraffic || row.Flows == 0) return;
        if (!row.Key.Source.IsAbsent) _seen.Add(row.Key.Source, row.Flows);
        if (!row.Key.Destination.IsAbsent) _seen.Add(row.Key.Destination, row.Flows);
    }

    /// <summary>True when <paramref name="source"/> looks like the interface's own address rather than <paramref name="destination"/>.</summary>
    public bool IsMoreLocal(FlowAddress source, FlowAddress destination) => Count(source) > Count(destination);

    public IReadOnlyList<FlowAddress> Likely(int limit) => _seen.Top(limit).Select(e => e.Key).ToArray();

    private long Count(FlowAddress address) => _seen.TryGet(address, out var e) ? e.Count : 0;
}
