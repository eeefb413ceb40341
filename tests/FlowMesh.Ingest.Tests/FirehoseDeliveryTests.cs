using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace FlowMesh.Ingest.Tests;

/// <summary>Successful deliveries: the spec's worked example, gzip and plain bodies, the shared samples.</summary>
public sealed class FirehoseDeliveryTests
{
    private const string ExampleRequestId = "ed4acda5-034f-9f42-bba1-f29aea6d7d8f";

    private const string ExampleBody =
        "{\"requestId\":\"ed4acda5-034f-9f42-bba1-f29aea6d7d8f\",\"timestamp\":1578090901599," +
        "\"records\":[" +
        "{\"data\":\"eyJtZXNzYWdlIjoiMiAxMjM0NTY3ODkwMTAgZW5pLTEyMzViOGNhMTIzNDU2Nzg5IDE3Mi4zMS4xNi4xMzkgMTcyLjMxLjE2LjIxIDIwNjQxIDIyIDYgMjAgNDI0OSAxNDE4NTMwMDEwIDE0MTg1MzAwNzAgQUNDRVBUIE9LIn0=\"}," +
        "{\"data\":\"eyJtZXNzYWdlIjoiMiAxMjM0NTY3ODkwMTAgZW5pLTEyMzViOGNhMTIzNDU2Nzg5IDE3Mi4zMS45LjY5IDE3Mi4zMS45LjEyIDQ5NzYxIDMzODkgNiAyMCA0MjQ5IDE0MTg1MzAwMTAgMTQxODUzMDA3MCBSRUpFQ1QgT0sifQ==\"}]}";

    private static readonly string[] ExampleLines =
    [
        "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
        "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK",
    ];

    [Fact]
    public async Task Post_SpecWorkedExampleByteForByte_Answers200WithEchoedRequestIdAndNumericTimestamp()
    {
        await using var server = await IngestTestServer.StartAsync(new Dictionary<string, string?> { ["FlowMesh:Ingest:Path"] = "/ingest/firehose" });
        var body = Encoding.UTF8.GetBytes(ExampleBody);
        Assert.Equal(458, body.Length);
        var head =
            "POST /ingest/firehose HTTP/1.1\r\n" +
            "Host: collector.example.com\r\n" +
            "Content-Type: application/json\r\n" +
            "Content-Length: 458\r\n" +
            "X-Amz-Firehose-Protocol-Version: 1.0\r\n" +
            "X-Amz-Firehose-Request-Id: ed4acda5-034f-9f42-bba1-f29aea6d7d8f\r\n" +
            "X-Amz-Firehose-Source-Arn: arn:aws:firehose:us-east-1:123456789010:deliverystream/flowlogs\r\n" +
            "X-Amz-Firehose-Access-Key: s3cr3t-token\r\n" +
            "X-Amz-Firehose-Common-Attributes: {\"commonAttributes\":{\"env\":\"prod\"}}\r\n" +
            "\r\n";

        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (statusLine, headers, responseBody) = await RawExchangeAsync(server.BaseAddress, [.. Encoding.ASCII.GetBytes(head), .. body]);
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Equal("HTTP/1.1 200 OK", statusLine);
        Assert.Equal("application/json", headers["Content-Type"]);
        Assert.Equal("78", headers["Content-Length"]);
        Assert.False(headers.ContainsKey("Content-Encoding"));
        var timestamp = JsonDocument.Parse(responseBody).RootElement.GetProperty("timestamp").GetInt64();
        Assert.InRange(timestamp, before, after);
        Assert.Equal($"{{\"requestId\":\"{ExampleRequestId}\",\"timestamp\":{timestamp}}}", Encoding.UTF8.GetString(responseBody));

        var batch = Assert.Single(server.Pipeline.Committed);
        Assert.Equal(ExampleRequestId, batch.RequestId);
        Assert.Equal("arn:aws:firehose:us-east-1:123456789010:deliverystream/flowlogs", batch.SourceArn);
        ExpectedRecords.AssertAll(ExampleLines, batch.RecordList);
        Assert.Equal(0, batch.Malformed);
        Assert.True(batch.Disposed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Post_PlainOrGzipBody_AppliesEveryRecord(bool gzip)
    {
        await using var server = await IngestTestServer.StartAsync();
        var body = FirehoseRequests.Body("req-1", [.. ExampleLines.Select(FirehoseRequests.Wrapped)]);

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-1", body, gzip: gzip), 200, "req-1");

        var batch = Assert.Single(server.Pipeline.Committed);
        ExpectedRecords.AssertAll(ExampleLines, batch.RecordList);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Post_DirectDeliverySample_AppliesAllNineRecords(bool gzip)
    {
        await using var server = await IngestTestServer.StartAsync();
        var body = SharedSamples.Read("firehose-direct.json");
        const string requestId = "ed4acda5-034f-9f42-bba1-f29aea6d7d8f";

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post(requestId, body, gzip: gzip), 200, requestId);

        var batch = Assert.Single(server.Pipeline.Committed);
        var lines = ExpectedRecords.SampleLines();
        Assert.Equal(9, lines.Length);
        ExpectedRecords.AssertAll(lines, batch.RecordList);
        Assert.Equal(0, batch.Malformed);
        Assert.Equal(0, batch.ControlMessages);
    }

    [Fact]
    public async Task Post_CloudWatchLogsSample_AppliesFourRecordsAndDropsTheControlMessage()
    {
        await using var server = await IngestTestServer.StartAsync();
        var body = SharedSamples.Read("firehose-cwl.json");
        const string requestId = "4b7c9f2e-0d3a-4c55-9b1e-7f5a2c8d1e60";

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post(requestId, body, gzip: true), 200, requestId);

        var batch = Assert.Single(server.Pipeline.Committed);
        ExpectedRecords.AssertAll(ExpectedRecords.SampleLines()[..4], batch.RecordList);
        Assert.Equal(1, batch.ControlMessages);
        Assert.Equal(0, batch.Malformed);
    }

    [Fact]
    public async Task Post_EmptyRecords_Answers200WithoutCommitting()
    {
        await using var server = await IngestTestServer.StartAsync();

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-empty", FirehoseRequests.Body("req-empty")), 200, "req-empty");

        Assert.Empty(server.Pipeline.Committed);
        Assert.True(Assert.Single(server.Pipeline.Batches).Disposed);
    }

    [Fact]
    public async Task Post_AlreadyAppliedRequestId_Answers200WithoutDecodingOrCommitting()
    {
        await using var server = await IngestTestServer.StartAsync();
        server.Pipeline.Applied["req-again"] = true;
        var body = FirehoseRequests.Body("req-again", FirehoseRequests.Wrapped(ExampleLines[0]));

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-again", body), 200, "req-again");

        Assert.Empty(server.Pipeline.Batches);
        Assert.Empty(server.Pipeline.Committed);
    }

    [Fact]
    public async Task Post_SameRequestTwice_SecondIsNotCommittedAgain()
    {
        await using var server = await IngestTestServer.StartAsync();
        var body = FirehoseRequests.Body("req-retry", FirehoseRequests.Wrapped(ExampleLines[0]));

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-retry", body), 200, "req-retry");
        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-retry", body), 200, "req-retry");

        Assert.Single(server.Pipeline.Committed);
        Assert.Single(server.Pipeline.Batches);
    }

    private static async Task<(string StatusLine, Dictionary<string, string> Headers, byte[] Body)> RawExchangeAsync(Uri server, byte[] request)
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cancellation);
        var stream = client.GetStream();
        await stream.WriteAsync(request, cancellation);

        var received = new List<byte>();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
        {
            var read = await stream.ReadAsync(buffer, cancellation);
            Assert.NotEqual(0, read);
            received.AddRange(buffer.AsSpan(0, read));
        }
        var headLines = Encoding.ASCII.GetString([.. received.Take(headerEnd)]).Split("\r\n");
        var headers = headLines.Skip(1).Select(line => line.Split(": ", 2)).ToDictionary(parts => parts[0], parts => parts[1], StringComparer.OrdinalIgnoreCase);
        var length = int.Parse(headers["Content-Length"]);
        while (received.Count < headerEnd + 4 + length)
        {
            var read = await stream.ReadAsync(buffer, cancellation);
            Assert.NotEqual(0, read);
            received.AddRange(buffer.AsSpan(0, read));
        }
        return (headLines[0], headers, [.. received.Skip(headerEnd + 4).Take(length)]);
    }

    private static int IndexOfHeaderEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
                return i;
        return -1;
    }
}
