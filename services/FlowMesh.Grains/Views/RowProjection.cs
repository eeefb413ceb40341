using FlowMesh.Aggregation;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Grains.Views;

/// <summary>How a combined row lands on a board: exact totals always, dimensions for traffic rows.</summary>
internal static class RowProjection
{
    public static void AddTotals(ContributorBoard board, in FlowRow row)
    {
        ref var totals = ref board.Totals;
        switch (row.Key.Status)
        {
            case LogStatus.NoData:
                totals.NoDataRecords += row.Flows;
                return;
            case LogStatus.SkipData:
                totals.SkipDataRecords += row.Flows;
                return;
            default:
                totals.AddFlow(row.Key.Action, row.Packets, row.Bytes, row.Flows);
                return;
        }
    }

    public static void Add(ContributorBoard board, Dimension dimension, in ContributorKey key, in FlowRow row) =>
        board.Add(dimension, in key, row.Bytes, row.Packets, row.Flows, row.Key.Action == FlowAction.Reject ? row.Flows : 0);

    public static ContributorKey Port(in FlowRow row) => ContributorKey.ForNumber(row.Key.DestinationPort);

    public static ContributorKey Protocol(in FlowRow row) => ContributorKey.ForNumber(row.Key.Protocol);
}

/// <summary>Leaderboards rank sources, destinations, interfaces, ports, protocols and pairs.</summary>
internal struct LeaderboardProjector : IRowProjector
{
    public static readonly Dimension[] Dimensions =
    [
        Dimension.SourceAddress, Dimension.DestinationAddress, Dimension.Interface,
        Dimension.DestinationPort, Dimension.Protocol, Dimension.AddressPair,
    ];

    public readonly bool Accepts(in FlowRow row) => true;

    public readonly void Project(ContributorBoard board, in FlowRow row)
    {
        RowProjection.AddTotals(board, in row);
        if (row.IsNoTraffic) return;
        var k = row.Key;
        if (!k.Source.IsAbsent) RowProjection.Add(board, Dimension.SourceAddress, ContributorKey.ForAddress(k.Source), in row);
        if (!k.Destination.IsAbsent) RowProjection.Add(board, Dimension.DestinationAddress, ContributorKey.ForAddress(k.Destination), in row);
        if (k.InterfaceId is { } eni) RowProjection.Add(board, Dimension.Interface, ContributorKey.ForText(eni), in row);
        if (k.DestinationPort >= 0) RowProjection.Add(board, Dimension.DestinationPort, RowProjection.Port(in row), in row);
        if (k.Protocol >= 0) RowProjection.Add(board, Dimension.Protocol, RowProjection.Protocol(in row), in row);
        if (!k.Source.IsAbsent && !k.Destination.IsAbsent)
            RowProjection.Add(board, Dimension.AddressPair, ContributorKey.ForPair(k.Source, k.Destination), in row);
    }
}
