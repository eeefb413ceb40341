using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace FlowMesh.Query.Tests;

/// <summary>gRPC health and reflection on the query port.</summary>
[Collection(QueryServerGroup.Name)]
public sealed class HealthAndReflectionTests(QueryServerFixture server)
{
    [Theory]
    [InlineData("")]
    [InlineData("flowmesh.v1.FlowMeshQuery")]
    public async Task Check_ServerRunning_Serving(string service)
    {
        var health = new Health.HealthClient(server.Channel);
        var response = await health.CheckAsync(new HealthCheckRequest { Service = service }, cancellationToken: Ct);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task ListServices_Reflection_ListsTheQueryServiceAndResolvesItsFiles()
    {
        var reflection = new ServerReflection.ServerReflectionClient(server.Channel);
        using var call = reflection.ServerReflectionInfo(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains("flowmesh.v1.FlowMeshQuery", services);
        Assert.Contains("grpc.health.v1.Health", services);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "flowmesh.v1.FlowMeshQuery" }, Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto;
        Assert.NotEmpty(files);
        await call.RequestStream.CompleteAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
