using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace FlowMesh.Ingest.Firehose;

/// <summary>
/// Writes the response Firehose requires (spec §1.4): <c>Content-Type: application/json</c>,
/// no <c>Content-Encoding</c>, a <c>Content-Length</c>, and <c>{"requestId", "timestamp"}</c>
/// with the timestamp as a JSON number, plus <c>errorMessage</c> on failures. Anything else
/// counts as a failed delivery on the Firehose side, even with status 200.
/// </summary>
internal static class FirehoseResponseWriter
{
    public const int MaxErrorMessageChars = 8192;

    // A request id is a GUID; a longer header is cut so the response stays far below 1 MiB.
    private const int MaxRequestIdChars = 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = true };

    public static async Task WriteAsync(HttpContext context, int statusCode, string requestId, long timestampMs, string? errorMessage)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("requestId"u8, Truncate(requestId, MaxRequestIdChars));
            json.WriteNumber("timestamp"u8, timestampMs);
            if (errorMessage is not null)
                json.WriteString("errorMessage"u8, Truncate(errorMessage, MaxErrorMessageChars));
            json.WriteEndObject();
        }

        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        response.Headers.ContentEncoding = default;
        if (statusCode == StatusCodes.Status405MethodNotAllowed)
            response.Headers.Allow = HttpMethods.Post;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static string Truncate(string text, int maxChars) =>
        text.Length <= maxChars ? text : text[..maxChars];
}
