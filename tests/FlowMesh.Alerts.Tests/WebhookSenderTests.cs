using System.Collections.Concurrent;
using System.Net;
using System.Text;
using FlowMesh.Alerts.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FlowMesh.Alerts.Tests;

public sealed class WebhookSenderTests : IAsyncLifetime
{
    private const string Secret = "shared-webhook-secret";
    private readonly ConcurrentQueue<(string? Timestamp, string? Signature, byte[] Body)> _received = new();
    private readonly Queue<int> _statuses = new();
    private WebApplication _app = null!;
    private Uri _url = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            _received.Enqueue((context.Request.Headers[WebhookSignature.TimestampHeader], context.Request.Headers[WebhookSignature.SignatureHeader], buffer.ToArray()));
            lock (_statuses) context.Response.StatusCode = _statuses.Count > 0 ? _statuses.Dequeue() : 200;
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        _url = new Uri(new Uri(address), "/hook");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task SendAsync_FirstAttemptFails_RetriesAndReceiverVerifiesSignature()
    {
        _statuses.Enqueue(500);
        using var http = new HttpClient();
        var sender = new WebhookSender(http, TimeProvider.System);
        var body = Encoding.UTF8.GetBytes("""{"rule":"ssh-from-outside","state":"ALARM"}""");

        var result = await sender.SendAsync(new WebhookEndpoint(_url, Secret, MaxAttempts: 3, InitialBackoff: TimeSpan.FromMilliseconds(20)), body, TestContext.Current.CancellationToken);

        Assert.True(result.Delivered);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, _received.Count);
        foreach (var (timestamp, signature, received) in _received)
        {
            Assert.Equal(body, received);
            Assert.True(WebhookSignature.Verify(received, timestamp, signature, Secret, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
            Assert.False(WebhookSignature.Verify(received, timestamp, signature, "wrong-secret", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        }
    }

    [Fact]
    public async Task SendAsync_ClientError_NotRetried()
    {
        _statuses.Enqueue(400);
        using var http = new HttpClient();
        var result = await new WebhookSender(http, TimeProvider.System)
            .SendAsync(new WebhookEndpoint(_url, Secret, MaxAttempts: 3, InitialBackoff: TimeSpan.FromMilliseconds(20)), "{}"u8.ToArray(), TestContext.Current.CancellationToken);

        Assert.False(result.Delivered);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(400, result.LastStatus);
    }

    [Fact]
    public void Verify_TamperedBodyOrStaleTimestamp_Rejected()
    {
        var body = "{\"a\":1}"u8.ToArray();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var signature = WebhookSignature.Sign(body, now.ToUnixTimeSeconds(), Secret);
        var ts = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(WebhookSignature.Verify(body, ts, signature, Secret, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("{\"a\":2}"u8, ts, signature, Secret, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(body, ts, signature, Secret, now.AddMinutes(6), TimeSpan.FromMinutes(5)));
    }
}
