using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FlowMesh.Grains;
using FlowMesh.Grains.Alerting;
using FlowMesh.Ingest;
using FlowMesh.Ingest.Pipeline;
using FlowMesh.Query;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using V1 = FlowMesh.Contracts.V1;
using FlowMesh.Testing;

namespace FlowMesh.Alerts.EndToEnd.Tests;

/// <summary>
/// The server's three roles in one process as the all-in-one server composes them: real Kestrel on
/// 127.0.0.1 (the Firehose endpoint over HTTP/1.1, the query service over HTTP/2), the real group
/// commit, a real Orleans silo with the alert grains, ticker and webhook notifier — and an alert
/// clock the test steps, so periods close exactly when the test says.
/// </summary>
public sealed class AlertsServer : IAsyncDisposable
{
    public const string AccessKey = "alerts-e2e-key";

    private readonly WebApplication _app;
    private readonly HttpClient _firehose;
    private int _requests;

    private AlertsServer(WebApplication app, Uri ingest, Uri query, FakeTimeProvider clock)
    {
        _app = app;
        Clock = clock;
        _firehose = new HttpClient { BaseAddress = ingest };
        Channel = GrpcChannel.ForAddress(query);
        Client = new V1.FlowMeshQuery.FlowMeshQueryClient(Channel);
    }

    /// <summary>The alert clock (periods are aligned to multiples of their length since the epoch).</summary>
    public FakeTimeProvider Clock { get; }

    public GrpcChannel Channel { get; }

    public V1.FlowMeshQuery.FlowMeshQueryClient Client { get; }

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Starts at <paramref name="start"/> on the alert clock with the given <c>FlowMesh:Alerts</c> settings (keys relative to that section).</summary>
    public static async Task<AlertsServer> StartAsync(DateTimeOffset start, IDictionary<string, string?> alerts)
    {
        var ingestPort = TestPorts.Next();
        var queryPort = TestPorts.Next();
        var settings = new Dictionary<string, string?>
        {
            ["FlowMesh:Ingest:AccessKey"] = AccessKey,
            ["FlowMesh:Ingest:Port"] = ingestPort.ToString(CultureInfo.InvariantCulture),
            ["FlowMesh:Ingest:GroupCommit:FlushInterval"] = "00:00:00.020",
            ["FlowMesh:Query:Port"] = queryPort.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in alerts) settings["FlowMesh:Alerts:" + key] = value;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, ingestPort, l => l.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, queryPort, l => l.Protocols = HttpProtocols.Http2);
        });
        var cluster = "alerts-e2e-" + Guid.NewGuid().ToString("N")[..8];
        builder.UseOrleans(silo => silo.UseLocalhostClustering(TestPorts.Next(), TestPorts.Next(), serviceId: cluster, clusterId: cluster));
        var clock = new FakeTimeProvider(start);
        builder.Services.AddSingleton(new AlertClock(clock));
        builder.Services.AddFlowMeshAlertGrains();
        builder.AddFlowMeshIngest();
        builder.Services.AddDeliveryPipeline();
        builder.AddFlowMeshQuery();
        var app = builder.Build();
        app.MapFirehoseEndpoint();
        app.MapFlowMeshQuery();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new AlertsServer(
            app,
            new Uri($"http://127.0.0.1:{ingestPort.ToString(CultureInfo.InvariantCulture)}"),
            new Uri($"http://127.0.0.1:{queryPort.ToString(CultureInfo.InvariantCulture)}"),
            clock);
    }

    /// <summary>
    /// Delivers flow-log lines (default v2 format) as one Firehose request of direct-put records,
    /// gzip-encoded, and asserts the 200: the lines are then applied to every view and rule.
    /// </summary>
    public async Task DeliverAsync(IReadOnlyList<string> lines)
    {
        var requestId = $"alerts-{Interlocked.Increment(ref _requests).ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}";
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("requestId", requestId);
            json.WriteNumber("timestamp", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            json.WriteStartArray("records");
            foreach (var line in lines)
            {
                json.WriteStartObject();
                json.WriteString("data", Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { message = line }))));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest)) body.WriteTo(gzip);
        using var content = new ByteArrayContent(gzipped.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/firehose") { Content = content };
        request.Headers.Add("X-Amz-Firehose-Protocol-Version", "1.0");
        request.Headers.Add("X-Amz-Firehose-Request-Id", requestId);
        request.Headers.Add("X-Amz-Firehose-Source-Arn", "arn:aws:firehose:us-east-1:123456789012:deliverystream/flowlogs");
        request.Headers.Add("X-Amz-Firehose-Access-Key", AccessKey);
        using var response = await _firehose.SendAsync(request, TestContext.Current.CancellationToken);
        var answer = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Firehose delivery answered {(int)response.StatusCode}: {answer}");
    }

    /// <summary>Moves the alert clock and closes the elapsed periods of a rule now (the ticker does the same on its own).</summary>
    public async Task<AlertRuleStatus> AdvanceAsync(TimeSpan by, string rule)
    {
        Clock.Advance(by);
        return await Grains.GetGrain<IAlertRuleGrain>(GrainKeys.AlertRule(rule)).TickAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _firehose.Dispose();
        Channel.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

}

/// <summary>Default-format (v2) flow-log lines.</summary>
public static class FlowLines
{
    public const string Account = "123456789012";

    /// <summary><paramref name="count"/> records of one flow each, source ports 40000 + i, event time now.</summary>
    public static IEnumerable<string> Flows(int count, string eni, string source, string destination, int destinationPort, string action, int protocol = 6, int packets = 10, int bytes = 840)
    {
        var end = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5;
        for (var i = 0; i < count; i++)
            yield return string.Create(CultureInfo.InvariantCulture,
                $"2 {Account} {eni} {source} {destination} {40000 + i} {destinationPort} {protocol} {packets} {bytes} {end - 50} {end} {action} OK");
    }
}
