using System.Net.Http.Headers;
using System.Text;
using FlowMesh.Ingest.Pipeline;

namespace FlowMesh.Ingest.Tests;

/// <summary>Requests the endpoint refuses, and pipeline failures: each with the spec-shaped JSON body.</summary>
public sealed class FirehoseRejectionTests
{
    private const string Line = "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1418530010 1418530070 ACCEPT OK";

    [Theory]
    [InlineData("{\"requestId\":\"req-bad\",\"records\":[")]
    [InlineData("not json")]
    [InlineData("{\"requestId\":\"req-bad\",\"records\":[]} trailing")]
    public async Task Post_MalformedJson_Answers400(string body)
    {
        await using var server = await IngestTestServer.StartAsync();

        var message = await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-bad", Encoding.UTF8.GetBytes(body)), 400, "req-bad");

        Assert.StartsWith("The body is not valid JSON: ", message, StringComparison.Ordinal);
        Assert.Empty(server.Pipeline.Committed);
    }

    [Theory]
    [InlineData("{\"requestId\":\"req-shape\"}", "The body has no records array.")]
    [InlineData("{\"records\":[]}", "The body has no requestId.")]
    [InlineData("{\"requestId\":\"req-shape\",\"timestamp\":\"1578090901599\",\"records\":[]}", "The body's timestamp must be an integer (epoch milliseconds).")]
    [InlineData("{\"requestId\":\"req-shape\",\"records\":[{\"data\":42}]}", "records[0].data must be a base64 string.")]
    [InlineData("[]", "The body must be a JSON object {\"requestId\", \"timestamp\", \"records\"}.")]
    public async Task Post_BodyOfWrongShape_Answers400WithReason(string body, string expected)
    {
        await using var server = await IngestTestServer.StartAsync();

        var message = await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-shape", Encoding.UTF8.GetBytes(body)), 400, "req-shape");

        Assert.Equal(expected, message);
        Assert.Empty(server.Pipeline.Committed);
    }

    [Fact]
    public async Task Post_RequestIdDiffersBetweenHeaderAndBody_Answers400AndCommitsNothing()
    {
        await using var server = await IngestTestServer.StartAsync();
        var body = FirehoseRequests.Body("req-body", FirehoseRequests.Wrapped(Line));

        var message = await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-header", body), 400, "req-header");

        Assert.Equal("The body's requestId 'req-body' differs from the X-Amz-Firehose-Request-Id header 'req-header'.", message);
        Assert.Empty(server.Pipeline.Committed);
        Assert.True(Assert.Single(server.Pipeline.Batches).Disposed);
    }

    [Fact]
    public async Task Post_MissingRequestIdHeader_Answers400()
    {
        await using var server = await IngestTestServer.StartAsync();
        var body = FirehoseRequests.Body("req-x", FirehoseRequests.Wrapped(Line));

        var message = await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("", body), 400, "");

        Assert.Equal("The X-Amz-Firehose-Request-Id header is missing.", message);
        Assert.Empty(server.Pipeline.Batches);
    }

    [Fact]
    public async Task Post_UnsupportedContentEncoding_Answers400NamingIt()
    {
        await using var server = await IngestTestServer.StartAsync();
        var request = FirehoseRequests.Post("req-br", FirehoseRequests.Body("req-br", FirehoseRequests.Wrapped(Line)));
        request.Content!.Headers.ContentEncoding.Add("br");

        var message = await FirehoseAssert.SendAsync(server.Client, request, 400, "req-br");

        Assert.Equal("Content-Encoding 'br' is not supported; set the stream's content encoding to GZIP or NONE.", message);
    }

    [Fact]
    public async Task Post_GzipHeaderOnPlainBody_Answers400()
    {
        await using var server = await IngestTestServer.StartAsync();
        var request = FirehoseRequests.Post("req-notgz", FirehoseRequests.Body("req-notgz", FirehoseRequests.Wrapped(Line)));
        request.Content!.Headers.ContentEncoding.Add("gzip");

        var message = await FirehoseAssert.SendAsync(server.Client, request, 400, "req-notgz");

        Assert.StartsWith("Content-Encoding is gzip but the body is not valid gzip: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Endpoint_Answers405WithJsonBody()
    {
        await using var server = await IngestTestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, FirehoseRequests.Path);
        request.Headers.Add("X-Amz-Firehose-Request-Id", "req-get");

        var message = await FirehoseAssert.SendAsync(server.Client, request, 405, "req-get");

        Assert.Equal("Method GET is not allowed; Firehose delivers with POST.", message);
    }

    [Fact]
    public async Task Post_BodyLargerThanLimit_Answers413()
    {
        await using var server = await IngestTestServer.StartAsync(new Dictionary<string, string?> { ["FlowMesh:Ingest:MaxRequestBodyBytes"] = "1024" });
        var body = FirehoseRequests.Body("req-big", [.. Enumerable.Repeat(FirehoseRequests.Wrapped(Line), 20)]);
        Assert.True(body.Length > 1024);

        var message = await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-big", body), 413, "req-big");

        Assert.Equal("The request body is larger than 1024 bytes (FlowMesh:Ingest:MaxRequestBodyBytes); lower the stream's buffer size.", message);
        Assert.Empty(server.Pipeline.Batches);
    }

    [Fact]
    public async Task Post_ChunkedBodyLargerThanLimit_Answers413()
    {
        await using var server = await IngestTestServer.StartAsync(new Dictionary<string, string?> { ["FlowMesh:Ingest:MaxRequestBodyBytes"] = "1024" });
        var body = FirehoseRequests.Body("req-chunked", [.. Enumerable.Repeat(FirehoseRequests.Wrapped(Line), 20)]);
        var request = FirehoseRequests.Post("req-chunked", body);
        // No Content-Length: the limit is enforced while reading.
        request.Content = new StreamContent(new MemoryStream(body));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;

        var message = await FirehoseAssert.SendAsync(server.Client, request, 413, "req-chunked");

        Assert.Equal("The request body is larger than 1024 bytes (FlowMesh:Ingest:MaxRequestBodyBytes); lower the stream's buffer size.", message);
    }

    [Fact]
    public async Task Post_GzipBomb_Answers413()
    {
        await using var server = await IngestTestServer.StartAsync(new Dictionary<string, string?> { ["FlowMesh:Ingest:MaxInflatedBodyBytes"] = "1048576" });
        // 4 MiB of JSON whitespace inflates past the 1 MiB guard from a few kilobytes of gzip.
        var inflated = Encoding.UTF8.GetBytes("{\"requestId\":\"req-bomb\",\"records\":[]" + new string(' ', 4 * 1024 * 1024) + "}");
        var request = FirehoseRequests.Post("req-bomb", inflated, gzip: true);
        Assert.True(request.Content!.Headers.ContentLength < 16 * 1024);

        var message = await FirehoseAssert.SendAsync(server.Client, request, 413, "req-bomb");

        Assert.Equal("The gzip'd body inflates to more than 1048576 bytes (FlowMesh:Ingest:MaxInflatedBodyBytes); lower the stream's buffer size.", message);
        Assert.Empty(server.Pipeline.Batches);
    }

    [Fact]
    public async Task Post_PipelineUnavailable_Answers503WithErrorMessage()
    {
        await using var server = await IngestTestServer.StartAsync();
        server.Pipeline.OnCommit = (_, _) => throw new DeliveryUnavailableException("backend overloaded, try again");
        var body = FirehoseRequests.Body("req-503", FirehoseRequests.Wrapped(Line));

        var message = await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-503", body), 503, "req-503");

        Assert.Equal("backend overloaded, try again", message);
        Assert.True(Assert.Single(server.Pipeline.Batches).Disposed);
        Assert.Equal(0, server.MalformedLog.Total);
    }

    [Fact]
    public async Task Post_PipelineDoesNotApplyInTime_Answers503()
    {
        await using var server = await IngestTestServer.StartAsync(new Dictionary<string, string?> { ["FlowMesh:Ingest:CommitTimeout"] = "00:00:00.050" });
        server.Pipeline.OnCommit = async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return DeliveryOutcome.Applied;
        };
        var body = FirehoseRequests.Body("req-slow", FirehoseRequests.Wrapped(Line));

        var message = await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-slow", body), 503, "req-slow");

        Assert.Equal("The delivery was not applied within 50 ms; retry later.", message);
    }

    [Fact]
    public async Task Post_PipelineThrowsUnexpectedly_Answers500WithGenericMessageAndLogsIt()
    {
        await using var server = await IngestTestServer.StartAsync();
        server.Pipeline.OnCommit = (_, _) => throw new InvalidOperationException("secret internal detail");
        var body = FirehoseRequests.Body("req-500", FirehoseRequests.Wrapped(Line));

        var message = await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-500", body), 500, "req-500");

        Assert.Equal("The ingest service failed unexpectedly; the delivery was not applied and can be retried.", message);
        var logged = Assert.Single(server.Logs.Entries, entry => entry.EventId.Name == "UnexpectedFailure");
        Assert.Equal("Firehose request req-500 failed unexpectedly; answered 500", logged.Message);
    }

    [Fact]
    public async Task Post_ClientAcceptsGzip_ResponseIsStillUncompressed()
    {
        await using var server = await IngestTestServer.StartAsync();
        var request = FirehoseRequests.Post("req-ae", FirehoseRequests.Body("req-ae", FirehoseRequests.Wrapped(Line)));
        request.Headers.AcceptEncoding.ParseAdd("gzip, br");

        await FirehoseAssert.SendAsync(server.Client, request, 200, "req-ae");
    }
}
