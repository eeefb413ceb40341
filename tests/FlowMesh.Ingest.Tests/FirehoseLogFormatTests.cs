using FlowMesh.FlowLogs;

namespace FlowMesh.Ingest.Tests;

/// <summary>The log format of a delivery: default v2, per source ARN from configuration, per common attribute.</summary>
public sealed class FirehoseLogFormatTests
{
    private const string CustomFormat = "${version} ${interface-id} ${srcaddr} ${dstaddr} ${dstport} ${action}";
    private const string CustomLine = "5 eni-0abc 10.1.2.3 10.4.5.6 443 REJECT";

    private static void AssertCustomRecord(RecordingBatch batch)
    {
        Assert.Equal(0, batch.Malformed);
        var record = Assert.Single(batch.RecordList);
        Assert.Equal(5, record.Version);
        Assert.Equal("eni-0abc", record.InterfaceId);
        Assert.Equal(FlowAddress.Parse("10.1.2.3"), record.SrcAddr);
        Assert.Equal(FlowAddress.Parse("10.4.5.6"), record.DstAddr);
        Assert.Equal(443, record.DstPort);
        Assert.Equal(FlowAction.Reject, record.Action);
        Assert.False(record.Has(FlowField.Bytes));
    }

    [Fact]
    public async Task Post_CustomLineWithDefaultFormat_IsMalformedFieldCount()
    {
        await using var server = await IngestTestServer.StartAsync();

        await FirehoseAssert.SendAsync(server.Client,
            FirehoseRequests.Post("req-default", FirehoseRequests.Body("req-default", FirehoseRequests.Wrapped(CustomLine))), 200, "req-default");

        var batch = Assert.Single(server.Pipeline.Committed);
        Assert.Empty(batch.RecordList);
        Assert.Equal(MalformedReason.FieldCount, Assert.Single(batch.MalformedLines).Reason);
    }

    [Fact]
    public async Task Post_FormatConfiguredForStreamName_DecodesWithIt()
    {
        await using var server = await IngestTestServer.StartAsync(new Dictionary<string, string?> { ["FlowMesh:Ingest:LogFormats:flowlogs"] = CustomFormat });

        await FirehoseAssert.SendAsync(server.Client,
            FirehoseRequests.Post("req-arn", FirehoseRequests.Body("req-arn", FirehoseRequests.Wrapped(CustomLine))), 200, "req-arn");

        AssertCustomRecord(Assert.Single(server.Pipeline.Committed));
    }

    [Fact]
    public async Task Post_FormatConfiguredForFullSourceArn_DecodesWithIt()
    {
        await using var server = await IngestTestServer.StartAsync(configure: options => options.LogFormats[FirehoseRequests.SourceArn] = CustomFormat);

        await FirehoseAssert.SendAsync(server.Client,
            FirehoseRequests.Post("req-fullarn", FirehoseRequests.Body("req-fullarn", FirehoseRequests.Wrapped(CustomLine))), 200, "req-fullarn");

        AssertCustomRecord(Assert.Single(server.Pipeline.Committed));
    }

    [Fact]
    public async Task Post_FormatConfiguredForAnotherStream_UsesDefaultFormat()
    {
        await using var server = await IngestTestServer.StartAsync(new Dictionary<string, string?> { ["FlowMesh:Ingest:LogFormats:other-stream"] = CustomFormat });

        await FirehoseAssert.SendAsync(server.Client,
            FirehoseRequests.Post("req-other", FirehoseRequests.Body("req-other", FirehoseRequests.Wrapped(CustomLine))), 200, "req-other");

        Assert.Equal(MalformedReason.FieldCount, Assert.Single(Assert.Single(server.Pipeline.Committed).MalformedLines).Reason);
    }

    [Fact]
    public async Task Post_FormatInCommonAttribute_OverridesConfiguredFormat()
    {
        await using var server = await IngestTestServer.StartAsync(new Dictionary<string, string?> { ["FlowMesh:Ingest:LogFormats:flowlogs"] = "${version} ${srcaddr}" });
        var attributes = $"{{\"commonAttributes\":{{\"env\":\"prod\",\"flowmesh-log-format\":\"{CustomFormat}\"}}}}";

        await FirehoseAssert.SendAsync(server.Client,
            FirehoseRequests.Post("req-attr", FirehoseRequests.Body("req-attr", FirehoseRequests.Wrapped(CustomLine)), commonAttributes: attributes), 200, "req-attr");

        AssertCustomRecord(Assert.Single(server.Pipeline.Committed));
    }

    [Fact]
    public async Task Post_InvalidFormatInCommonAttribute_Answers400WithTheReason()
    {
        await using var server = await IngestTestServer.StartAsync();
        const string invalid = "${version} ${no-such-field}";
        var reason = Assert.Throws<FlowLogFormatException>(() => FlowLogFormat.Parse(invalid)).Message;
        var attributes = $"{{\"commonAttributes\":{{\"flowmesh-log-format\":\"{invalid}\"}}}}";

        var message = await FirehoseAssert.SendAsync(server.Client,
            FirehoseRequests.Post("req-badfmt", FirehoseRequests.Body("req-badfmt", FirehoseRequests.Wrapped(CustomLine)), commonAttributes: attributes), 400, "req-badfmt");

        Assert.Equal($"The common attribute 'flowmesh-log-format' is not a valid flow-log format: {reason}", message);
        Assert.Empty(server.Pipeline.Batches);
    }

    [Fact]
    public async Task Post_CommonAttributesHeaderNotJson_Answers400()
    {
        await using var server = await IngestTestServer.StartAsync();

        var message = await FirehoseAssert.SendAsync(server.Client,
            FirehoseRequests.Post("req-attrjson", FirehoseRequests.Body("req-attrjson", FirehoseRequests.Wrapped(CustomLine)), commonAttributes: "{oops"), 400, "req-attrjson");

        Assert.StartsWith("The X-Amz-Firehose-Common-Attributes header is not valid JSON: ", message, StringComparison.Ordinal);
    }
}
