using System.Text.Json;

namespace FlowMesh.Ingest.Tests;

/// <summary>Checks a response against spec §1.4 field by field.</summary>
public static class FirehoseAssert
{
    /// <summary>
    /// Sends the request and asserts: the status; Content-Type exactly application/json; no
    /// Content-Encoding; Content-Length equal to the body length and below 1 MiB; a JSON object with
    /// exactly requestId (echoed), timestamp (a number within the test's clock) and, when expected,
    /// errorMessage. Returns the error message (null on success).
    /// </summary>
    public static async Task<string?> SendAsync(HttpClient client, HttpRequestMessage request, int expectedStatus, string expectedRequestId)
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Check(response, body, expectedStatus, expectedRequestId, before, after);
    }

    public static string? Check(HttpResponseMessage response, byte[] body, int expectedStatus, string expectedRequestId, long before, long after)
    {
        Assert.Equal(expectedStatus, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.True(body.Length < 1024 * 1024);

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(expectedRequestId, root.GetProperty("requestId").GetString());
        var timestamp = root.GetProperty("timestamp");
        Assert.Equal(JsonValueKind.Number, timestamp.ValueKind);
        Assert.InRange(timestamp.GetInt64(), before, after);

        var names = root.EnumerateObject().Select(property => property.Name).ToArray();
        if (expectedStatus == 200)
        {
            Assert.Equal(["requestId", "timestamp"], names);
            return null;
        }
        Assert.Equal(["requestId", "timestamp", "errorMessage"], names);
        var message = root.GetProperty("errorMessage").GetString();
        Assert.NotNull(message);
        Assert.InRange(message.Length, 1, 8192);
        return message;
    }
}
