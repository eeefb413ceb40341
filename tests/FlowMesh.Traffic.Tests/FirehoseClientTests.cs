using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FlowMesh.Traffic.Tests;

/// <summary>The Firehose client against a real HTTP listener that answers as scripted.</summary>
public sealed class FirehoseClientTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string? RequestId, string? Key, string? Encoding, string? Protocol, string? Attributes, byte[] Body)> _received = new();
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _answers = new();
    private WebApplication _app = null!;
    private Uri _url = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/v1/firehose", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var h = context.Request.Headers;
            _received.Enqueue((h["X-Amz-Firehose-Request-Id"], h["X-Amz-Firehose-Access-Key"], h.ContentEncoding, h["X-Amz-Firehose-Protocol-Version"], h["X-Amz-Firehose-Common-Attributes"], body.ToArray()));
            if (_answers.TryDequeue(out var answer)) await answer(context);
            else await Respond(context, 200);
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        _url = new Uri(new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()), "/v1/firehose");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task SendAsync_503ThenTimeoutThen200_RetriesWithTheSameRequestIdAndBody()
    {
        _answers.Enqueue(c => Respond(c, 503, "backend overloaded, try again"));
        _answers.Enqueue(async c => await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted)); // longer than the client's timeout
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(500) };
        var client = new FirehoseClient(http, Options(maxAttempts: 4));
        var batch = FirehoseBatchBuilder.Build(["2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 60 1 2 ACCEPT OK"], 1 << 20, gzip: true).Single();

        var result = await client.SendAsync(batch, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded);
        Assert.Equal(3, result.Attempts);
        var attempts = _received.ToArray();
        Assert.Equal(3, attempts.Length);
        Assert.All(attempts, a =>
        {
            Assert.Equal(batch.RequestId, a.RequestId);
            Assert.Equal("k3y", a.Key);
            Assert.Equal("gzip", a.Encoding);
            Assert.Equal("1.0", a.Protocol);
            Assert.Equal(batch.Body, a.Body);
            Assert.Equal("""{"commonAttributes":{"flowmesh-log-format":"${version}"}}""", a.Attributes);
        });
    }

    [Fact]
    public async Task SendAsync_413_IsPermanentAndNotRetried()
    {
        _answers.Enqueue(c => Respond(c, 413, "too large"));
        using var http = new HttpClient();
        var batch = FirehoseBatchBuilder.Build(["x"], 1 << 20, gzip: false).Single();

        var result = await new FirehoseClient(http, Options(maxAttempts: 4)).SendAsync(batch, TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Equal(413, result.StatusCode);
        Assert.Single(_received);
    }

    [Fact]
    public async Task SendAsync_200WithoutEchoedRequestId_IsAFailureAndRetried()
    {
        // Firehose counts a 200 whose body does not echo the request id as failed (spec §1.4).
        _answers.Enqueue(async c =>
        {
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync("""{"requestId":"other","timestamp":1}""");
        });
        using var http = new HttpClient();
        var batch = FirehoseBatchBuilder.Build(["x"], 1 << 20, gzip: false).Single();

        var result = await new FirehoseClient(http, Options(maxAttempts: 2)).SendAsync(batch, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public void Build_ManyLines_SplitsUnderTheSizeLimitAndKeepsEveryLineInOrder()
    {
        var lines = Enumerable.Range(0, 5000).Select(i => $"2 123456789012 eni-0a1b2c3d4e5f60718 10.0.{i / 256}.{i % 256} 10.0.1.15 {40000 + i} 443 6 10 {1000 + i} 1764115200 1764115260 ACCEPT OK").ToList();

        var batches = FirehoseBatchBuilder.Build(lines, 64 * 1024, gzip: true).ToList();

        Assert.True(batches.Count > 1);
        Assert.All(batches, b => Assert.True(b.UncompressedBytes <= 64 * 1024, $"{b.UncompressedBytes} bytes"));
        Assert.Equal(batches.Count, batches.Select(b => b.RequestId).Distinct().Count());
        var decoded = batches.SelectMany(Lines).ToList();
        Assert.Equal(lines, decoded);
    }

    private static IEnumerable<string> Lines(FirehoseBatch batch)
    {
        using var gzip = new GZipStream(new MemoryStream(batch.Body), CompressionMode.Decompress);
        using var json = JsonDocument.Parse(gzip);
        Assert.Equal(batch.RequestId, json.RootElement.GetProperty("requestId").GetString());
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("timestamp").ValueKind);
        foreach (var record in json.RootElement.GetProperty("records").EnumerateArray())
        {
            using var message = JsonDocument.Parse(record.GetProperty("data").GetBytesFromBase64());
            yield return message.RootElement.GetProperty("message").GetString()!;
        }
    }

    private FirehoseClientOptions Options(int maxAttempts) => new()
    {
        Endpoint = _url,
        AccessKey = "k3y",
        MaxAttempts = maxAttempts,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        CommonAttributes = new Dictionary<string, string> { ["flowmesh-log-format"] = "${version}" },
    };

    private static async Task Respond(HttpContext context, int status, string? error = null)
    {
        using var body = new MemoryStream();
        var requestId = context.Request.Headers["X-Amz-Firehose-Request-Id"].ToString();
        await using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("requestId", requestId);
            writer.WriteNumber("timestamp", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            if (error is not null) writer.WriteString("errorMessage", error);
            writer.WriteEndObject();
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body.ToArray());
    }
}
