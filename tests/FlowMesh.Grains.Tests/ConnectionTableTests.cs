using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;
using FlowMesh.Grains.Views;

namespace FlowMesh.Grains.Tests;

/// <summary>The bound of an address's connection records holds even when every entry ties (same minute, same flows).</summary>
public sealed class ConnectionTableTests
{
    private const long Minute = 29_500_000;

    private static FlowRow Row(uint peer, long minute, long flows = 1) => new(
        new FlowRowKey(minute, "eni-1", null, null, FlowAddress.FromIPv4(0x0A000001), FlowAddress.FromIPv4(0x0B000000 + peer), 22, 6, FlowAction.Reject, FlowDirection.Egress, LogStatus.Ok),
        flows, flows, flows * 60);

    [Fact]
    public void Add_ThousandTiedEntriesIntoEight_NeverHoldsMoreThanEight()
    {
        var table = new ConnectionTable(8);
        var most = 0;
        for (uint i = 0; i < 1000; i++)
        {
            table.Add(Row(i, Minute), Minute);
            most = Math.Max(most, table.Count);
        }

        Assert.Equal(8, most);
        Assert.True(table.Evicted);
    }

    [Fact]
    public void Add_OlderAndNewerEntries_DropsTheOldestFirstAndExpiresTheHour()
    {
        var table = new ConnectionTable(8);
        for (uint i = 0; i < 9; i++) table.Add(Row(i, Minute + i), Minute + 8);

        var self = FlowAddress.FromIPv4(0x0A000001);
        // The ninth entry made it shrink to the four most recent: minutes +5..+8.
        Assert.Equal(4, table.Count);
        Assert.Single(table.Between(self, FlowAddress.FromIPv4(0x0B000008), Minute + 8));
        Assert.Empty(table.Between(self, FlowAddress.FromIPv4(0x0B000004), Minute + 8));
        // An hour later nothing is within the retained hour.
        Assert.Empty(table.Between(self, FlowAddress.FromIPv4(0x0B000008), Minute + 8 + 60));
    }

    [Fact]
    public void Add_CapacityZero_KeepsNothing()
    {
        var table = new ConnectionTable(0);
        table.Add(Row(1, Minute), Minute);

        Assert.Equal(0, table.Count);
    }
}
