using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace FlowMesh.Traffic;

/// <summary>Where and how to deliver, as a Firehose HTTP endpoint destination is configured.</summary>
public sealed class FirehoseClientOptions
{
    public required Uri Endpoint { get; init; }
    public string? AccessKey { get; init; }
    public string SourceArn { get; init; } = "arn:aws:firehose:us-east-1:123456789012:deliverystream/flowmesh-replay";
    public IReadOnlyDictionary<string, string>? CommonAttributes { get; init; }
    /// <summary>Attempts per request, the first included.</summary>
    public int MaxAttempts { get; init; } = 8;
    /// <summary>First back-off; doubles per retry with ±15 % jitter, capped at <see cref="MaxBackoff"/> (spec §1.5).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(120);
}

/// <summary>The outcome of delivering one batch, after retries.</summary>
public sealed record FirehoseSendResult(string RequestId, int StatusCode, int Attempts, TimeSpan Elapsed, string? ErrorMessage)
{
    public bool Succeeded => StatusCode == 200 && ErrorMessage is null;
    public int Retries => Attempts - 1;
}

/// <summary>
/// Sends batches exactly as Firehose does (spec §1.2): POST, JSON body, the X-Amz-Firehose-* headers,
/// gzip when configured, the same request id on every retry; success only on 200 with a body that
/// echoes the request id and has a numeric timestamp; 413 is permanent; everything else is retried.
/// </summary>
public sealed class FirehoseClient(HttpClient http, FirehoseClientOptions options)
{
    private readonly string? _commonAttributes = options.CommonAttributes is { Count: > 0 } attributes
        ? JsonSerializer.Serialize(new Dictionary<string, object> { ["commonAttributes"] = attributes })
        : null;

    public async Task<FirehoseSendResult> SendAsync(FirehoseBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var started = Stopwatch.GetTimestamp();
        var backoff = options.InitialBackoff;
        var status = 0;
        string? error = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var request = CreateRequest(batch);
                using var response = await http.SendAsync(request, cancellationToken);
                status = (int)response.StatusCode;
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                error = Validate(batch.RequestId, response, body);
                if (status == 200 && error is null) return new(batch.RequestId, status, attempt, Stopwatch.GetElapsedTime(started), null);
                if (status == (int)HttpStatusCode.RequestEntityTooLarge) break;
            }
            catch (HttpRequestException ex)
            {
                status = 0;
                error = ex.Message;
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient's own timeout: Firehose treats a response timeout as retryable (spec §1.5).
                status = 0;
                error = $"no response within {http.Timeout.TotalSeconds:0} s ({ex.Message})";
            }
            if (attempt >= options.MaxAttempts) break;
            var jitter = 0.85 + (Random.Shared.NextDouble() * 0.3);
            await Task.Delay(TimeSpan.FromTicks((long)(backoff.Ticks * jitter)), cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
        }
        return new(batch.RequestId, status, options.MaxAttempts, Stopwatch.GetElapsedTime(started), error ?? $"HTTP {status}");
    }

    private HttpRequestMessage CreateRequest(FirehoseBatch batch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, options.Endpoint) { Content = new ByteArrayContent(batch.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (batch.Gzip) request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Add("X-Amz-Firehose-Protocol-Version", "1.0");
        request.Headers.Add("X-Amz-Firehose-Request-Id", batch.RequestId);
        request.Headers.Add("X-Amz-Firehose-Source-Arn", options.SourceArn);
        if (options.AccessKey is { } key) request.Headers.Add("X-Amz-Firehose-Access-Key", key);
        if (_commonAttributes is { } attributes) request.Headers.Add("X-Amz-Firehose-Common-Attributes", attributes);
        return request;
    }

    /// <summary>Null when the response is what Firehose accepts; otherwise why not (spec §1.4).</summary>
    private static string? Validate(string requestId, HttpResponseMessage response, byte[] body)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/json") return "response Content-Type is not application/json";
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (!root.TryGetProperty("requestId", out var id) || id.GetString() != requestId) return "response does not echo the requestId";
            if (!root.TryGetProperty("timestamp", out var ts) || ts.ValueKind != JsonValueKind.Number) return "response timestamp is missing or not a number";
            return root.TryGetProperty("errorMessage", out var message) && response.StatusCode != HttpStatusCode.OK
                ? message.GetString() ?? $"HTTP {(int)response.StatusCode}"
                : response.StatusCode == HttpStatusCode.OK ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (JsonException)
        {
            return "response body is not JSON";
        }
    }
}
