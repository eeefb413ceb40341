using System.Collections.Concurrent;
using System.Net;
using FlowMesh.Grains;
using FlowMesh.Ingest.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using FlowMesh.Testing;

namespace FlowMesh.Ingest.Tests;

/// <summary>
/// The ingest role as the server hosts it: real Kestrel on 127.0.0.1, the real group-commit
/// pipeline and a real Orleans silo in the same process — plus a switch that makes the next
/// Apply call to a chosen grain fail inside the silo, as a crashed activation would.
/// </summary>
public sealed class ClusterIngestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ClusterIngestServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public HttpClient Client { get; }

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public GroupCommitStatistics Statistics => _app.Services.GetRequiredService<GroupCommitStatistics>();

    public GrainFaults Faults => _app.Services.GetRequiredService<GrainFaults>();

    /// <summary>Reports malformed-record counts to the cluster now instead of at the next interval.</summary>
    public Task PublishMalformedAsync() => _app.Services.GetRequiredService<Firehose.MalformedRecordPublisher>().PublishAsync();

    public static async Task<ClusterIngestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FlowMesh:Ingest:AccessKey"] = IngestTestServer.AccessKey,
            ["FlowMesh:Ingest:Port"] = "0",
            ["FlowMesh:Ingest:GroupCommit:FlushInterval"] = "00:00:00.050",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<GrainFaults>();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(TestPorts.Next(), TestPorts.Next());
            silo.AddIncomingGrainCallFilter<GrainFaultFilter>();
        });
        builder.AddFlowMeshIngest();
        builder.Services.AddDeliveryPipeline();
        var app = builder.Build();
        app.MapFirehoseEndpoint();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ClusterIngestServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

}

/// <summary>Grain keys whose next Apply call fails.</summary>
public sealed class GrainFaults
{
    private readonly ConcurrentDictionary<string, int> _remaining = new();

    public void FailNextApply(string grainKey) => _remaining[grainKey] = 1;

    public bool Take(string grainKey) => _remaining.TryRemove(KeyValuePair.Create(grainKey, 1));
}

internal sealed class GrainFaultFilter(GrainFaults faults) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context) =>
        context.InterfaceMethod?.Name == nameof(IFlowViewGrain.ApplyAsync) && faults.Take(context.TargetId.Key.ToString()!)
            ? throw new InvalidOperationException("Injected grain failure")
            : context.Invoke();
}
