using FlowMesh.Aggregation;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Grains.Views;

/// <summary>An address in one role ranks its peers, destination ports, protocols and the interfaces it was seen on.</summary>
internal readonly struct AddressProjector(FlowAddress address, bool asSource) : IRowProjector
{
    public static readonly Dimension[] Dimensions =
    [
        Dimension.PeerAddress, Dimension.DestinationPort, Dimension.Protocol, Dimension.Interface,
    ];

    /// <summary>Rows where the address plays this role (a delta holds both roles' rows).</summary>
    public bool Accepts(in FlowRow row) => (asSource ? row.Key.Source : row.Key.Destination) == address;

    public void Project(ContributorBoard board, in FlowRow row)
    {
        RowProjection.AddTotals(board, in row);
        if (row.IsNoTraffic) return;
        var k = row.Key;
        var peer = asSource ? k.Destination : k.Source;
        if (!peer.IsAbsent) RowProjection.Add(board, Dimension.PeerAddress, ContributorKey.ForAddress(peer), in row);
        if (k.DestinationPort >= 0) RowProjection.Add(board, Dimension.DestinationPort, RowProjection.Port(in row), in row);
        if (k.Protocol >= 0) RowProjection.Add(board, Dimension.Protocol, RowProjection.Protocol(in row), in row);
        if (k.InterfaceId is { } eni) RowProjection.Add(board, Dimension.Interface, ContributorKey.ForText(eni), in row);
    }
}
