using System.Net;
using System.Net.Http.Headers;

namespace FlowMesh.Alerts.Webhooks;

/// <summary>One webhook receiver.</summary>
public sealed record WebhookEndpoint(Uri Url, string Secret, int MaxAttempts = 6, TimeSpan? InitialBackoff = null);

/// <summary>What happened to one delivery.</summary>
public sealed record WebhookResult(bool Delivered, int Attempts, int? LastStatus, string? LastError);

/// <summary>
/// Posts JSON to a webhook with a signature (see <see cref="WebhookSignature"/>), retrying with
/// exponential back-off on network errors, 408, 429 and 5xx; other 4xx are the receiver saying
/// no and are not retried. Every attempt is signed afresh with the current time.
/// </summary>
public sealed class WebhookSender(HttpClient http, TimeProvider time)
{
    public async Task<WebhookResult> SendAsync(WebhookEndpoint endpoint, byte[] jsonBody, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(jsonBody);
        var backoff = endpoint.InitialBackoff ?? TimeSpan.FromSeconds(1);
        int? status = null;
        string? error = null;
        for (var attempt = 1; attempt <= endpoint.MaxAttempts; attempt++)
        {
            try
            {
                var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(jsonBody) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(jsonBody, timestamp, endpoint.Secret));
                using var response = await http.SendAsync(request, cancellationToken);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode) return new WebhookResult(true, attempt, status, null);
                error = $"HTTP {status}";
                if (!IsRetryable(response.StatusCode)) return new WebhookResult(false, attempt, status, error);
            }
            catch (HttpRequestException ex)
            {
                status = null;
                error = ex.Message;
            }
            if (attempt < endpoint.MaxAttempts)
            {
                await Task.Delay(backoff, time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromMinutes(5).Ticks));
            }
        }
        return new WebhookResult(false, endpoint.MaxAttempts, status, error);
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
