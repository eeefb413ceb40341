using System.Net;
using FlowMesh.Ingest.Firehose;
using FlowMesh.Ingest.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlowMesh.Ingest.Tests;

/// <summary>A real Kestrel on 127.0.0.1 (port 0) serving the Firehose endpoint over a recording pipeline.</summary>
public sealed class IngestTestServer : IAsyncDisposable
{
    public const string AccessKey = "s3cr3t-token";

    private readonly WebApplication _app;

    private IngestTestServer(WebApplication app, RecordingPipeline pipeline, RecordingLoggerProvider logs, Uri baseAddress)
    {
        _app = app;
        Pipeline = pipeline;
        Logs = logs;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public RecordingPipeline Pipeline { get; }
    public RecordingLoggerProvider Logs { get; }
    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;
    public MalformedRecordLog MalformedLog => _app.Services.GetRequiredService<MalformedRecordLog>();

    /// <summary>Settings default to one access key and port 0; <paramref name="settings"/> overrides (null removes).</summary>
    public static async Task<IngestTestServer> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IngestOptions>? configure = null,
        Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>? listen = null)
    {
        var app = Build(settings, configure, listen, out var pipeline, out var logs);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new IngestTestServer(app, pipeline, logs, new Uri(address));
    }

    /// <summary>The host, built but not started (start-up validation tests start it themselves).</summary>
    public static WebApplication Build(
        IReadOnlyDictionary<string, string?>? settings,
        Action<IngestOptions>? configure,
        Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>? listen,
        out RecordingPipeline pipeline,
        out RecordingLoggerProvider logs)
    {
        var values = new Dictionary<string, string?>
        {
            ["FlowMesh:Ingest:AccessKey"] = AccessKey,
            ["FlowMesh:Ingest:Port"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(values.Where(entry => entry.Value is not null));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            if (listen is null) kestrel.Listen(IPAddress.Loopback, 0);
            else listen(kestrel);
        });
        builder.Services.AddRouting();
        logs = new RecordingLoggerProvider();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        pipeline = new RecordingPipeline();
        builder.Services.AddSingleton<IDeliveryPipeline>(pipeline);
        builder.AddFlowMeshIngest();
        if (configure is not null)
            builder.Services.PostConfigure(configure);

        var app = builder.Build();
        app.UseRouting();
        app.MapFirehoseEndpoint();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
