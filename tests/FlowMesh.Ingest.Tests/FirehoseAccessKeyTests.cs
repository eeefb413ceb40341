namespace FlowMesh.Ingest.Tests;

/// <summary>X-Amz-Firehose-Access-Key: wrong or missing → 401, rotation with several keys.</summary>
public sealed class FirehoseAccessKeyTests
{
    private const string Unauthorized =
        "Missing or incorrect X-Amz-Firehose-Access-Key; set the stream's access key to one configured in FlowMesh:Ingest:AccessKey.";

    private static byte[] OneRecord(string requestId) =>
        FirehoseRequests.Body(requestId, FirehoseRequests.Wrapped("2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1418530010 1418530070 ACCEPT OK"));

    [Theory]
    [InlineData("wrong-token")]
    [InlineData("s3cr3t-token-2")]
    [InlineData("s3cr3t-toke")]
    [InlineData("")]
    public async Task Post_WrongAccessKey_Answers401AndAppliesNothing(string key)
    {
        await using var server = await IngestTestServer.StartAsync();

        var message = await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-key", OneRecord("req-key"), accessKey: key), 401, "req-key");

        Assert.Equal(Unauthorized, message);
        Assert.Empty(server.Pipeline.Batches);
    }

    [Fact]
    public async Task Post_MissingAccessKey_Answers401AndAppliesNothing()
    {
        await using var server = await IngestTestServer.StartAsync();

        var message = await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-nokey", OneRecord("req-nokey"), accessKey: null), 401, "req-nokey");

        Assert.Equal(Unauthorized, message);
        Assert.Empty(server.Pipeline.Batches);
    }

    [Theory]
    [InlineData("old-key")]
    [InlineData("new-key")]
    [InlineData("third-key")]
    public async Task Post_AnyOfSeveralKeys_Answers200(string key)
    {
        await using var server = await IngestTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["FlowMesh:Ingest:AccessKey"] = "old-key",
            ["FlowMesh:Ingest:AccessKeys:0"] = "new-key",
            ["FlowMesh:Ingest:AccessKeys:1"] = "third-key",
        });

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-rot", OneRecord("req-rot"), accessKey: key), 200, "req-rot");

        Assert.Single(server.Pipeline.Committed);
    }

    [Fact]
    public async Task Post_RetiredKeyDuringRotation_Answers401()
    {
        await using var server = await IngestTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["FlowMesh:Ingest:AccessKey"] = null,
            ["FlowMesh:Ingest:AccessKeys:0"] = "new-key",
        });

        var message = await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-old", OneRecord("req-old"), accessKey: IngestTestServer.AccessKey), 401, "req-old");

        Assert.Equal(Unauthorized, message);
    }
}
