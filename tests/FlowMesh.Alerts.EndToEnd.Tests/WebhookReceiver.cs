using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using FlowMesh.Alerts.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlowMesh.Alerts.EndToEnd.Tests;

/// <summary>One POST a receiver got: whether its signature verified, the status answered, the parsed body.</summary>
public sealed record WebhookDelivery(int Attempt, bool SignatureValid, int AnsweredStatus, JsonElement Body);

/// <summary>
/// A real webhook receiver on 127.0.0.1 (Kestrel): verifies X-FlowMesh-Signature with the shared
/// secret as a receiver would, and answers 500 to the first <c>failFirst</c> requests.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<WebhookDelivery> _deliveries = Channel.CreateUnbounded<WebhookDelivery>();
    private int _attempts;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync(string secret, int failFirst)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/flowmesh", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var body = buffer.ToArray();
            var valid = WebhookSignature.Verify(
                body, context.Request.Headers[WebhookSignature.TimestampHeader], context.Request.Headers[WebhookSignature.SignatureHeader],
                secret, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
            var attempt = Interlocked.Increment(ref receiver._attempts);
            var status = attempt <= failFirst ? 500 : valid ? 204 : 401;
            receiver._deliveries.Writer.TryWrite(new WebhookDelivery(attempt, valid, status, JsonDocument.Parse(body).RootElement.Clone()));
            return Results.StatusCode(status);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        receiver.Url = new Uri(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/hooks/flowmesh");
        return receiver;
    }

    public async Task<WebhookDelivery> NextAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return await _deliveries.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
