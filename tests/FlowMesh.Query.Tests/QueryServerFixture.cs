using System.Net;
using FlowMesh.FlowLogs;
using FlowMesh.Grains.Alerting;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using V1 = FlowMesh.Contracts.V1;
using FlowMesh.Testing;

namespace FlowMesh.Query.Tests;

/// <summary>
/// A real query server for the collection: Kestrel on 127.0.0.1 (the query port, HTTP/2, plus a
/// second dynamic port that must not serve the query services), an Orleans silo in the same
/// process with the real grains and the real clock, and a base data set applied through the grains.
/// </summary>
public sealed class QueryServerFixture : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private readonly List<FlowRecord> _all = [];

    public WebApplication App { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    /// <summary>The other listener: same server, not the query port.</summary>
    public Uri OtherPortAddress { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    public V1.FlowMeshQuery.FlowMeshQueryClient Client { get; private set; } = null!;

    public IGrainFactory Grains => App.Services.GetRequiredService<IGrainFactory>();

    internal TopContributorsStreamHub Hub => App.Services.GetRequiredService<TopContributorsStreamHub>();

    /// <summary>The base data set: one account, one VPC, six interfaces, 20 IPv4 + 4 IPv6 addresses.</summary>
    public BaseTraffic Base { get; private set; } = null!;

    /// <summary>Every record applied so far (by the fixture and by tests).</summary>
    public IReadOnlyList<FlowRecord> AllRecords
    {
        get
        {
            lock (_gate) return [.. _all];
        }
    }

    public async ValueTask InitializeAsync()
    {
        var queryPort = TestPorts.Next();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FlowMesh:Query:Port"] = queryPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FlowMesh:Query:MaxStreamsPerConnection"] = "1000",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, queryPort, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        var cluster = "query-tests-" + Guid.NewGuid().ToString("N")[..8];
        builder.UseOrleans(silo => silo.UseLocalhostClustering(TestPorts.Next(), TestPorts.Next(), serviceId: cluster, clusterId: cluster));
        builder.Services.AddFlowMeshAlertGrains();
        builder.AddFlowMeshQuery();

        App = builder.Build();
        App.MapFlowMeshQuery();
        await App.StartAsync();

        var addresses = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToArray();
        Address = addresses.Single(a => a.Port == queryPort);
        OtherPortAddress = addresses.Single(a => a.Port != queryPort);
        Channel = GrpcChannel.ForAddress(Address);
        Client = new V1.FlowMeshQuery.FlowMeshQueryClient(Channel);

        Base = new BaseTraffic(GrainFeed.UniqueAccount(), GrainFeed.UniqueVpc(), GrainFeed.UniqueEnis(6), QueryTraffic.Addresses(20, 4, seed: 1));
        await ApplyAsync(QueryTraffic.Random(new Random(20261126), 200, 8, Base.Interfaces, Base.Addresses, Base.Account, Base.Vpc));
    }

    /// <summary>Applies records through the grains and remembers them for brute-force answers.</summary>
    public async Task ApplyAsync(IReadOnlyList<FlowRecord> records)
    {
        await GrainFeed.ApplyAsync(Grains, records);
        lock (_gate) _all.AddRange(records);
    }

    public async ValueTask DisposeAsync()
    {
        Channel?.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}

/// <summary>The fixture's base data set.</summary>
public sealed record BaseTraffic(string Account, string Vpc, string[] Interfaces, FlowAddress[] Addresses);

[CollectionDefinition(Name)]
public sealed class QueryServerGroup : ICollectionFixture<QueryServerFixture>
{
    public const string Name = "query-server";
}
