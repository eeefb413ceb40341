using FlowMesh.Aggregation;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Query.Tests;

/// <summary>Interface and address summaries against brute force over the applied records.</summary>
[Collection(QueryServerGroup.Name)]
public sealed class DescribeTests(QueryServerFixture server)
{
    [Fact]
    public async Task DescribeInterface_KnownInterface_SummaryMatchesBruteForce()
    {
        var eni = server.Base.Interfaces[1];
        var summary = await server.Client.DescribeInterfaceAsync(
            new V1.DescribeInterfaceRequest { InterfaceId = eni, Window = V1.Window.FifteenMinutes, Limit = 5 }, cancellationToken: Ct);

        var records = server.AllRecords.Where(r => r.InterfaceId == eni).ToArray();
        Assert.Equal(eni, summary.InterfaceId);
        Assert.Equal(server.Base.Account, summary.AccountId);
        Assert.Equal(server.Base.Vpc, summary.VpcId);
        Assert.Equal(V1.Window.FifteenMinutes, summary.Window);
        SnapshotAssert.TotalsMatch(summary.Totals, records, eni);
        Assert.Equal(records.Any(r => r.Action == FlowLogs.FlowAction.Reject), summary.RejectSeen);
        Assert.True(summary.AcceptSeen);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(records.Min(r => r.Start)), summary.FirstSeen.ToDateTimeOffset());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(records.Max(r => r.End)), summary.LastSeen.ToDateTimeOffset());
        SnapshotAssert.TopMatches(summary.TopDestinationPorts, QueryTraffic.Exact(records, r => ContributorKey.ForNumber(r.DstPort), Dimension.DestinationPort, Metric.Bytes), 5, "ports");
        SnapshotAssert.TopMatches(summary.TopProtocols, QueryTraffic.Exact(records, r => ContributorKey.ForNumber(r.Protocol), Dimension.Protocol, Metric.Bytes), 5, "protocols");
        Assert.InRange(summary.TopPeers.Count, 1, 5);
    }

    [Fact]
    public async Task DescribeAddress_KnownAddress_RolesMatchBruteForce()
    {
        var address = server.Base.Addresses[1];
        var summary = await server.Client.DescribeAddressAsync(
            new V1.DescribeAddressRequest { Address = address.ToString(), Window = V1.Window.SixtyMinutes }, cancellationToken: Ct);

        var asSource = server.AllRecords.Where(r => r.SrcAddr == address).ToArray();
        var asDestination = server.AllRecords.Where(r => r.DstAddr == address).ToArray();
        Assert.Equal(address.ToString(), summary.Address);
        Assert.Equal(V1.Window.SixtyMinutes, summary.Window);
        SnapshotAssert.TotalsMatch(summary.AsSource.Totals, asSource, "as source");
        SnapshotAssert.TotalsMatch(summary.AsDestination.Totals, asDestination, "as destination");
        SnapshotAssert.TopMatches(summary.AsSource.TopPeers, QueryTraffic.Exact(asSource, r => ContributorKey.ForAddress(r.DstAddr), Dimension.PeerAddress, Metric.Bytes), 10, "peers");
        SnapshotAssert.TopMatches(summary.AsDestination.TopDestinationPorts, QueryTraffic.Exact(asDestination, r => ContributorKey.ForNumber(r.DstPort), Dimension.DestinationPort, Metric.Bytes), 10, "ports");
        SnapshotAssert.TopMatches(summary.AsSource.TopInterfaces, QueryTraffic.Exact(asSource, r => ContributorKey.ForText(r.InterfaceId!), Dimension.Interface, Metric.Bytes), 10, "interfaces");
        Assert.All(summary.AsSource.TopInterfaces, c => Assert.Equal(c.Label, c.InterfaceId));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
