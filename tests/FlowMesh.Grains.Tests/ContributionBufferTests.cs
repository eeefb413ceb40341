using FlowMesh.Aggregation;
using FlowMesh.FlowLogs;
using FlowMesh.Grains.Views;

namespace FlowMesh.Grains.Tests;

/// <summary>The per-apply summing of contributions against adding them one by one.</summary>
public sealed class ContributionBufferTests
{
    private static readonly Dimension[] Dimensions = [Dimension.SourceAddress, Dimension.DestinationPort];

    [Fact]
    public void Flush_RepeatedKeys_EachBoardGetsTheExactSumsOfItsOwnContributions()
    {
        var rng = new Random(5);
        var buffer = new ContributionBuffer();
        ContributorBoard[] boards = [new(Dimensions, 64), new(Dimensions, 64)];
        ContributorBoard[] oneByOne = [new(Dimensions, 64), new(Dimensions, 64)];
        for (var i = 0; i < 5_000; i++)
        {
            var b = rng.Next(2);
            var key = ContributorKey.ForAddress(FlowAddress.FromIPv4((uint)rng.Next(40)));
            var port = ContributorKey.ForNumber(rng.Next(2) == 0 ? 443 : 22);
            long bytes = rng.Next(40, 1_500), rejected = rng.Next(4) == 0 ? 1 : 0;
            buffer.Add(boards[b], Dimension.SourceAddress, key, bytes, 2, 1, rejected);
            buffer.Add(boards[b], Dimension.DestinationPort, port, bytes, 2, 1, rejected);
            oneByOne[b].Add(Dimension.SourceAddress, key, bytes, 2, 1, rejected);
            oneByOne[b].Add(Dimension.DestinationPort, port, bytes, 2, 1, rejected);
        }

        Assert.True(buffer.Count <= 2 * (40 + 2));
        buffer.Flush();

        Assert.Equal(0, buffer.Count);
        for (var b = 0; b < boards.Length; b++)
        {
            foreach (var dimension in Dimensions)
            {
                foreach (var metric in Enum.GetValues<Metric>())
                {
                    // Fewer distinct keys than capacity: both are exact, so they must agree entry for entry.
                    var expected = oneByOne[b].Get(dimension, metric)!.Top(100);
                    Assert.Equal(expected, boards[b].Get(dimension, metric)!.Top(100));
                }
            }
        }
    }

    [Fact]
    public void Discard_DropsBufferedContributions()
    {
        var buffer = new ContributionBuffer();
        var board = new ContributorBoard(Dimensions, 8);
        buffer.Add(board, Dimension.DestinationPort, ContributorKey.ForNumber(22), 60, 1, 1, 1);

        buffer.Discard();
        buffer.Flush();

        Assert.Null(board.Get(Dimension.DestinationPort, Metric.Bytes));
    }
}
