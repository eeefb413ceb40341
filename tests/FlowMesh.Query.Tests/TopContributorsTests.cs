using FlowMesh.Aggregation;
using FlowMesh.FlowLogs;
using Google.Protobuf.WellKnownTypes;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Query.Tests;

/// <summary>Unary top-N answers over a real socket against brute force over the applied records.</summary>
[Collection(QueryServerGroup.Name)]
public sealed class TopContributorsTests(QueryServerFixture server)
{
    public static TheoryData<V1.Dimension, V1.Metric> AllScopeCases => new()
    {
        { V1.Dimension.SourceAddress, V1.Metric.Bytes },
        { V1.Dimension.DestinationAddress, V1.Metric.Packets },
        { V1.Dimension.Interface, V1.Metric.Flows },
        { V1.Dimension.DestinationPort, V1.Metric.RejectedFlows },
        { V1.Dimension.Protocol, V1.Metric.Bytes },
    };

    [Theory]
    [MemberData(nameof(AllScopeCases))]
    public async Task GetTopContributors_AllScope_MatchesBruteForce(V1.Dimension dimension, V1.Metric metric)
    {
        var answer = await server.Client.GetTopContributorsAsync(Request(new V1.Scope { All = new Empty() }, dimension, metric, 10), cancellationToken: Ct);

        var records = server.AllRecords;
        var d = (Dimension)(int)dimension;
        SnapshotAssert.TopMatches(answer.Contributors, QueryTraffic.Exact(records, r => QueryTraffic.KeyOf(r, d), d, (Metric)(int)metric), 10, $"all {d} by {metric}");
        SnapshotAssert.TotalsMatch(answer.Totals, records, "all");
        Assert.Equal("all", answer.Scope);
        Assert.Equal(dimension, answer.Dimension);
        Assert.Equal(metric, answer.Metric);
        Assert.True(answer.Exact);
        Assert.NotNull(answer.LastUpdated);
        Assert.Null(answer.CoverageStart);
        Assert.Equal(TimeSpan.FromMinutes(15), answer.WindowEnd.ToDateTimeOffset() - answer.WindowStart.ToDateTimeOffset());
        Assert.InRange(DateTimeOffset.UtcNow, answer.WindowStart.ToDateTimeOffset(), answer.WindowEnd.ToDateTimeOffset());
    }

    [Fact]
    public async Task GetTopContributors_VpcScopeAddressPair_MatchesBruteForce()
    {
        var answer = await server.Client.GetTopContributorsAsync(
            Request(new V1.Scope { VpcId = server.Base.Vpc }, V1.Dimension.AddressPair, V1.Metric.Bytes, 20), cancellationToken: Ct);

        var records = server.AllRecords.Where(r => r.VpcId == server.Base.Vpc).ToArray();
        SnapshotAssert.TopMatches(answer.Contributors, QueryTraffic.Exact(records, r => QueryTraffic.KeyOf(r, Dimension.AddressPair), Dimension.AddressPair, Metric.Bytes), 20, "vpc pairs");
        SnapshotAssert.TotalsMatch(answer.Totals, records, "vpc");
        Assert.Equal("vpc:" + server.Base.Vpc, answer.Scope);
        Assert.All(answer.Contributors, c => Assert.Equal($"{c.AddressPair.Source} -> {c.AddressPair.Destination}", c.Label));
    }

    [Fact]
    public async Task GetTopContributors_AccountScopeRejectedFlows_TotalsAndRejectRateMatch()
    {
        var answer = await server.Client.GetTopContributorsAsync(
            Request(new V1.Scope { AccountId = server.Base.Account }, V1.Dimension.SourceAddress, V1.Metric.RejectedFlows, 5), cancellationToken: Ct);

        var records = server.AllRecords.Where(r => r.AccountId == server.Base.Account).ToArray();
        SnapshotAssert.TotalsMatch(answer.Totals, records, "account");
        SnapshotAssert.TopMatches(answer.Contributors, QueryTraffic.Exact(records, r => QueryTraffic.KeyOf(r, Dimension.SourceAddress), Dimension.SourceAddress, Metric.RejectedFlows), 5, "account rejects");
        Assert.Equal("account:" + server.Base.Account, answer.Scope);
    }

    [Theory]
    [InlineData(V1.Dimension.DestinationPort, V1.Metric.Bytes)]
    [InlineData(V1.Dimension.Protocol, V1.Metric.Flows)]
    [InlineData(V1.Dimension.AddressPair, V1.Metric.Packets)]
    public async Task GetTopContributors_InterfaceScope_MatchesBruteForce(V1.Dimension dimension, V1.Metric metric)
    {
        var eni = server.Base.Interfaces[0];
        var answer = await server.Client.GetTopContributorsAsync(Request(new V1.Scope { InterfaceId = eni }, dimension, metric, 10), cancellationToken: Ct);

        var records = server.AllRecords.Where(r => r.InterfaceId == eni).ToArray();
        var d = (Dimension)(int)dimension;
        SnapshotAssert.TopMatches(answer.Contributors, QueryTraffic.Exact(records, r => QueryTraffic.KeyOf(r, d), d, (Metric)(int)metric), 10, $"{eni} {d}");
        SnapshotAssert.TotalsMatch(answer.Totals, records, eni);
        Assert.Equal("eni:" + eni, answer.Scope);
    }

    [Fact]
    public async Task GetTopContributors_AddressScope_MatchesBruteForceForEachRole()
    {
        var address = server.Base.Addresses[0];
        var scope = new V1.Scope { Address = address.ToString() };
        var records = server.AllRecords;
        var asSource = records.Where(r => r.SrcAddr == address).ToArray();
        var asDestination = records.Where(r => r.DstAddr == address).ToArray();

        // Who sent to the address: the sources of the flows it received.
        var senders = await server.Client.GetTopContributorsAsync(Request(scope, V1.Dimension.SourceAddress, V1.Metric.Bytes, 10), cancellationToken: Ct);
        SnapshotAssert.TopMatches(senders.Contributors, QueryTraffic.Exact(asDestination, r => ContributorKey.ForAddress(r.SrcAddr), Dimension.SourceAddress, Metric.Bytes), 10, "senders");
        // Whom it sent to.
        var receivers = await server.Client.GetTopContributorsAsync(Request(scope, V1.Dimension.DestinationAddress, V1.Metric.Flows, 10), cancellationToken: Ct);
        SnapshotAssert.TopMatches(receivers.Contributors, QueryTraffic.Exact(asSource, r => ContributorKey.ForAddress(r.DstAddr), Dimension.DestinationAddress, Metric.Flows), 10, "receivers");
        // Ports over both roles.
        var ports = await server.Client.GetTopContributorsAsync(Request(scope, V1.Dimension.DestinationPort, V1.Metric.Bytes, 10), cancellationToken: Ct);
        var both = asSource.Concat(asDestination).ToArray();
        SnapshotAssert.TopMatches(ports.Contributors, QueryTraffic.Exact(both, r => ContributorKey.ForNumber(r.DstPort), Dimension.DestinationPort, Metric.Bytes), 10, "ports");
        SnapshotAssert.TotalsMatch(ports.Totals, both, "address");
        Assert.Equal("ip:" + address, ports.Scope);
        Assert.All(ports.Contributors, c => Assert.Equal(c.Label, c.DestinationPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task GetTopContributors_NothingSet_UsesDocumentedDefaults()
    {
        var answer = await server.Client.GetTopContributorsAsync(new V1.TopContributorsRequest(), cancellationToken: Ct);

        Assert.Equal("all", answer.Scope);
        Assert.Equal(V1.Window.FiveMinutes, answer.Window);
        Assert.Equal(V1.Metric.Bytes, answer.Metric);
        Assert.Equal(V1.Dimension.SourceAddress, answer.Dimension);
        Assert.InRange(answer.Contributors.Count, 1, 10);
        Assert.Equal(TimeSpan.FromMinutes(5), answer.WindowEnd.ToDateTimeOffset() - answer.WindowStart.ToDateTimeOffset());
        Assert.All(answer.Contributors, c => Assert.False(string.IsNullOrEmpty(c.Address)));
    }

    [Fact]
    public async Task GetTopContributors_FilteredByPortAndAction_CoversDataSinceFirstQuery()
    {
        var vpc = GrainFeed.UniqueVpc();
        var request = Request(new V1.Scope { VpcId = vpc }, V1.Dimension.SourceAddress, V1.Metric.Bytes, 10);
        request.Filter = new V1.FlowFilter { DestinationPort = 22, Action = V1.FlowAction.Accept };
        var created = await server.Client.GetTopContributorsAsync(request, cancellationToken: Ct);
        Assert.Empty(created.Contributors);
        Assert.NotNull(created.CoverageStart);

        var records = QueryTraffic.Random(new Random(7), 60, 5, GrainFeed.UniqueEnis(2), server.Base.Addresses, server.Base.Account, vpc, ports: [22, 443]);
        await server.ApplyAsync(records);
        var answer = await server.Client.GetTopContributorsAsync(request, cancellationToken: Ct);

        var matching = records.Where(r => r.DstPort == 22 && r.Action == FlowAction.Accept).ToArray();
        SnapshotAssert.TopMatches(answer.Contributors, QueryTraffic.Exact(matching, r => ContributorKey.ForAddress(r.SrcAddr), Dimension.SourceAddress, Metric.Bytes), 10, "filtered");
        SnapshotAssert.TotalsMatch(answer.Totals, matching, "filtered");
        Assert.Equal(22u, answer.Filter.DestinationPort);
        Assert.Equal(V1.FlowAction.Accept, answer.Filter.Action);
        Assert.Equal(created.CoverageStart, answer.CoverageStart);
    }

    internal static V1.TopContributorsRequest Request(V1.Scope scope, V1.Dimension dimension, V1.Metric metric, uint limit) => new()
    {
        Scope = scope, Dimension = dimension, Metric = metric, Window = V1.Window.FifteenMinutes, Limit = limit,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
