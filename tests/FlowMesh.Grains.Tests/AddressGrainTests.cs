using FlowMesh.Aggregation;
using FlowMesh.FlowLogs;

namespace FlowMesh.Grains.Tests;

[Collection(ClusterGroup.Name)]
public sealed class AddressGrainTests(ClusterFixture fixture)
{
    private const string Account = "111122223333";

    [Fact]
    public async Task DescribeAsync_IPv6Addresses_SourceAndDestinationRolesExact()
    {
        var rng = new Random(23);
        var vpc = GrainApply.UniqueVpc();
        var now = fixture.Time.GetUtcNow();
        var addresses = TestTraffic.Addresses(rng, 12, ipv6: true);
        var records = TestTraffic.Random(rng, 2000, now, 20, GrainApply.UniqueEnis(3), addresses, Account, vpc)
            .Where(r => r.SrcAddr != r.DstAddr).ToList();
        await GrainApply.ApplyAsync(fixture.Grains, records);

        foreach (var address in addresses.Take(5))
        {
            var key = GrainKeys.Address(address);
            Assert.Equal(System.Net.IPAddress.Parse(key).ToString(), key);
            var summary = await fixture.Grains.GetGrain<IAddressGrain>(key).DescribeAsync(Window.SixtyMinutes, 5);
            Assert.NotNull(summary);
            var asSource = records.Where(r => r.SrcAddr == address).ToList();
            var asDestination = records.Where(r => r.DstAddr == address).ToList();
            Assert.Equal(asSource.Count, summary.AsSource.Totals.Flows);
            Assert.Equal(asSource.Sum(r => r.Bytes), summary.AsSource.Totals.Bytes);
            Assert.Equal(asDestination.Count, summary.AsDestination.Totals.Flows);
            Assert.Equal(asDestination.Count(r => r.Action == FlowAction.Reject), summary.AsDestination.Totals.RejectedFlows);
            TestTraffic.AssertTopMatches(summary.AsSource.TopPeers, TestTraffic.Exact(asSource, r => ContributorKey.ForAddress(r.DstAddr), Metric.Bytes), 5, $"{key} peers as source");
            TestTraffic.AssertTopMatches(summary.AsDestination.TopInterfaces, TestTraffic.Exact(asDestination, r => ContributorKey.ForText(r.InterfaceId!), Metric.Bytes), 5, $"{key} interfaces");

            var destinations = await fixture.Grains.GetGrain<IAddressGrain>(key)
                .GetTopContributorsAsync(new TopContributorsQuery(Dimension.DestinationAddress, Metric.Flows, Window.SixtyMinutes, 5));
            TestTraffic.AssertTopMatches(destinations.Contributors, TestTraffic.Exact(asSource, r => ContributorKey.ForAddress(r.DstAddr), Metric.Flows), 5, $"{key} destinations");
        }
    }
}
