using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Query.Tests;

/// <summary>Bad requests give INVALID_ARGUMENT naming the field; unknown keys give NOT_FOUND.</summary>
[Collection(QueryServerGroup.Name)]
public sealed class ValidationTests(QueryServerFixture server)
{
    public static TheoryData<string, V1.TopContributorsRequest, string> InvalidTopRequests => new()
    {
        { "window", new V1.TopContributorsRequest { Window = (V1.Window)7 }, "window: 7m is not one of 1m, 5m, 15m, 60m" },
        { "limit", new V1.TopContributorsRequest { Limit = 500 }, "limit: 500 is outside 1..100" },
        { "address", new V1.TopContributorsRequest { Scope = new V1.Scope { Address = "10.0.0.300" } }, "scope.address: '10.0.0.300' is not an IPv4 or IPv6 address" },
        { "metric", new V1.TopContributorsRequest { Metric = (V1.Metric)9 }, "metric: 9 is not a known metric" },
        { "dimension", new V1.TopContributorsRequest { Dimension = (V1.Dimension)42 }, "dimension: 42 is not a known dimension" },
        { "empty interface", new V1.TopContributorsRequest { Scope = new V1.Scope { InterfaceId = " " } }, "scope.interface_id: must not be empty" },
        { "protocol", new V1.TopContributorsRequest { Filter = new V1.FlowFilter { Protocol = 300 } }, "filter.protocol: 300 is outside 0..255" },
        { "port", new V1.TopContributorsRequest { Filter = new V1.FlowFilter { DestinationPort = 70000 } }, "filter.destination_port: 70000 is outside 0..65535" },
        { "action", new V1.TopContributorsRequest { Filter = new V1.FlowFilter { Action = (V1.FlowAction)5 } }, "filter.action: 5 is not ACCEPT or REJECT" },
    };

    [Theory]
    [MemberData(nameof(InvalidTopRequests))]
    public async Task GetTopContributors_InvalidField_InvalidArgumentNamingTheField(string because, V1.TopContributorsRequest request, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.GetTopContributorsAsync(request, cancellationToken: Ct).ResponseAsync);
        Assert.True(StatusCode.InvalidArgument == error.StatusCode, because);
        Assert.Equal(message, error.Status.Detail);
    }

    [Fact]
    public async Task GetTopContributors_LocalAddressOnVpcScope_InvalidArgumentListingSupportedDimensions()
    {
        var request = new V1.TopContributorsRequest { Scope = new V1.Scope { VpcId = "vpc-1" }, Dimension = V1.Dimension.LocalAddress };
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.GetTopContributorsAsync(request, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("dimension: DIMENSION_LOCAL_ADDRESS is not kept for scope vpc:vpc-1; use one of DIMENSION_SOURCE_ADDRESS", error.Status.Detail);
    }

    [Theory]
    [InlineData(50, "update_interval: 50ms is outside 100ms..60s")]
    [InlineData(120_000, "update_interval: 120000ms is outside 100ms..60s")]
    public async Task StreamTopContributors_IntervalOutOfRange_InvalidArgument(int milliseconds, string message)
    {
        var request = new V1.StreamTopContributorsRequest
        {
            Query = new V1.TopContributorsRequest(),
            UpdateInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(milliseconds)),
        };
        using var call = server.Client.StreamTopContributors(request, cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Ct));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
    }

    [Fact]
    public async Task StreamTopContributors_InvalidQueryField_InvalidArgumentWithQueryPrefix()
    {
        var request = new V1.StreamTopContributorsRequest { Query = new V1.TopContributorsRequest { Limit = 101 } };
        using var call = server.Client.StreamTopContributors(request, cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Ct));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("query.limit: 101 is outside 1..100", error.Status.Detail);
    }

    [Fact]
    public async Task DescribeAddress_NotAnAddress_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.DescribeAddressAsync(new V1.DescribeAddressRequest { Address = "nope" }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("address: 'nope' is not an IPv4 or IPv6 address", error.Status.Detail);
    }

    [Fact]
    public async Task DescribeInterface_UnknownInterface_NotFound()
    {
        var eni = GrainFeed.UniqueEnis(1)[0];
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.DescribeInterfaceAsync(new V1.DescribeInterfaceRequest { InterfaceId = eni }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains(eni, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeAddress_UnknownAddress_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.DescribeAddressAsync(new V1.DescribeAddressRequest { Address = "192.0.2.77" }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("192.0.2.77", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTopContributors_OnTheOtherPort_NotServed()
    {
        using var channel = GrpcChannel.ForAddress(server.OtherPortAddress);
        var client = new V1.FlowMeshQuery.FlowMeshQueryClient(channel);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetTopContributorsAsync(new V1.TopContributorsRequest(), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
