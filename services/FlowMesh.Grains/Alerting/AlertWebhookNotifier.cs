using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using FlowMesh.Alerts.Rules;
using FlowMesh.Alerts.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlowMesh.Grains.Alerting;

/// <summary>
/// Posts transitions to the configured webhooks: one queue and one sender per receiver, in
/// sequence order, each delivery signed and retried with back-off (<see cref="WebhookSender"/>), so
/// a slow or failing receiver delays only itself and never the grains.
/// </summary>
internal sealed partial class AlertWebhookNotifier : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly (AlertWebhookOptions Options, WebhookEndpoint Endpoint, Channel<AlertEvent> Queue)[] _receivers;
    private readonly WebhookSender _sender;
    private readonly HttpClient _http;
    private readonly ILogger<AlertWebhookNotifier> _logger;

    public AlertWebhookNotifier(IOptions<AlertsOptions> options, TimeProvider time, ILogger<AlertWebhookNotifier> logger)
    {
        _logger = logger;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        // The real clock, not the alert clock: receivers check the signed timestamp against theirs.
        _sender = new WebhookSender(_http, time);
        var alerts = options.Value;
        _receivers = alerts.Enabled
            ? [.. alerts.Webhooks.Select(w => (w, new WebhookEndpoint(new Uri(w.Url), w.Secret, w.MaxAttempts, w.InitialBackoff), Channel.CreateBounded<AlertEvent>(
                new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true })))]
            : [];
    }

    /// <summary>The JSON body a receiver gets for one transition.</summary>
    public static byte[] Body(AlertEvent e) => JsonSerializer.SerializeToUtf8Bytes(new WebhookPayload(
        e.Sequence, e.Rule, e.Group, e.InAlarm ? "ALARM" : "OK", e.InAlarm ? "OK" : "ALARM", e.At, e.PeriodStart,
        e.Value, e.Threshold, e.RecentValues, e.Flows, e.Packets, e.Bytes, e.RejectedFlows, e.Distinct, e.Description), Json);

    public void Enqueue(IReadOnlyList<AlertEvent> events)
    {
        foreach (var (options, _, queue) in _receivers)
        {
            foreach (var e in events)
            {
                if (options.Rules.Count == 0 || options.Rules.Contains(e.Rule, StringComparer.Ordinal))
                    queue.Writer.TryWrite(e);
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_receivers.Select(r => SendLoopAsync(r.Endpoint, r.Queue.Reader, stoppingToken)));

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private async Task SendLoopAsync(WebhookEndpoint endpoint, ChannelReader<AlertEvent> queue, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var e in queue.ReadAllAsync(stoppingToken))
            {
                var result = await _sender.SendAsync(endpoint, Body(e), stoppingToken);
                if (result.Delivered) LogDelivered(_logger, e.Sequence, e.Rule, endpoint.Url.Host, result.Attempts);
                else LogFailed(_logger, e.Sequence, e.Rule, endpoint.Url.Host, result.Attempts, result.LastError);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // The URL's host only: query strings of webhook URLs often carry tokens.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert {Sequence} ({Rule}) posted to {Host} after {Attempts} attempt(s).")]
    private static partial void LogDelivered(ILogger logger, long sequence, string rule, string host, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Sequence} ({Rule}) could not be posted to {Host} after {Attempts} attempt(s): {Error}.")]
    private static partial void LogFailed(ILogger logger, long sequence, string rule, string host, int attempts, string? error);

    private sealed record WebhookPayload(
        long Sequence, string Rule, string Group, string State, string PreviousState, DateTimeOffset At, DateTimeOffset PeriodStart,
        double Value, double Threshold, double[] RecentValues, long Flows, long Packets, long Bytes, long RejectedFlows, int Distinct, string Description);
}
