using System.Text;
using FlowMesh.FlowLogs;

namespace FlowMesh.Ingest.Tests;

/// <summary>Bad records never fail their batch: good lines are applied, bad ones counted and kept with a reason.</summary>
public sealed class FirehoseMalformedTests
{
    private const string Good1 = "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1418530010 1418530070 ACCEPT OK";
    private const string Good2 = "2 123456789010 eni-2 10.0.0.3 10.0.0.4 3 4 17 2 80 1418530010 1418530070 REJECT OK";
    private const string BadAddress = "2 123456789010 eni-1 10.0.0.300 10.0.0.2 1 2 6 1 40 1418530010 1418530070 ACCEPT OK";
    private const string TooFewFields = "2 123456789010 eni-1 10.0.0.1";

    [Fact]
    public async Task Post_BatchWithMalformedLines_Answers200AppliesGoodLinesAndKeepsBadOnesWithReasons()
    {
        await using var server = await IngestTestServer.StartAsync();
        var body = Encoding.UTF8.GetBytes(
            "{\"requestId\":\"req-mixed\",\"timestamp\":1578090901599,\"records\":[" +
            $"{{\"data\":\"{Convert.ToBase64String(FirehoseRequests.Wrapped(Good1))}\"}}," +
            $"{{\"data\":\"{Convert.ToBase64String(FirehoseRequests.Wrapped(BadAddress))}\"}}," +
            "{\"data\":\"this is not base64!\"}," +
            $"{{\"data\":\"{Convert.ToBase64String(FirehoseRequests.Wrapped(TooFewFields))}\"}}," +
            $"{{\"data\":\"{Convert.ToBase64String(FirehoseRequests.Wrapped(Good2))}\"}}]}}");

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-mixed", body), 200, "req-mixed");

        var batch = Assert.Single(server.Pipeline.Committed);
        ExpectedRecords.AssertAll([Good1, Good2], batch.RecordList);
        Assert.Equal([MalformedReason.InvalidValue, MalformedReason.InvalidBase64, MalformedReason.FieldCount], batch.MalformedLines.Select(line => line.Reason));

        var log = server.MalformedLog;
        Assert.Equal(3, log.Total);
        Assert.Equal(1, log.Count(FirehoseRequests.SourceArn, MalformedReason.InvalidValue));
        Assert.Equal(1, log.Count(FirehoseRequests.SourceArn, MalformedReason.InvalidBase64));
        Assert.Equal(1, log.Count(FirehoseRequests.SourceArn, MalformedReason.FieldCount));
        var recent = log.Recent();
        Assert.Equal([1, 2, 3], recent.Select(example => example.RecordIndex));
        Assert.All(recent, example => Assert.Equal("req-mixed", example.RequestId));
        Assert.All(recent, example => Assert.Equal(FirehoseRequests.SourceArn, example.SourceArn));
        Assert.Equal(FlowField.SrcAddr, recent[0].Line.Field);
        Assert.Equal("records[2].data is not valid base64", recent[1].Line.Message);
        Assert.Equal("this is not base64!", recent[1].Line.Text);

        var summary = Assert.Single(server.Logs.Entries, entry => entry.EventId.Name == "MalformedRecordsInDelivery");
        Assert.Equal($"Firehose request req-mixed from {FirehoseRequests.SourceArn} had 3 malformed lines (first: InvalidValue in record 1)", summary.Message);
        Assert.Equal(3, server.Logs.Entries.Count(entry => entry.EventId.Name == "MalformedRecord"));
    }

    [Fact]
    public async Task Post_MalformedDeliveryRejectedByPipeline_IsNotCounted()
    {
        await using var server = await IngestTestServer.StartAsync();
        server.Pipeline.OnCommit = (_, _) => throw new Pipeline.DeliveryUnavailableException();
        var body = FirehoseRequests.Body("req-retry-bad", FirehoseRequests.Wrapped(TooFewFields));

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-retry-bad", body), 503, "req-retry-bad");

        // Firehose retries a 503 with the same request id; counting now would count the line twice.
        Assert.Equal(0, server.MalformedLog.Total);
        Assert.Empty(server.MalformedLog.Recent());
    }

    [Fact]
    public async Task Post_WithoutSourceArn_CountsUnderUnknownSource()
    {
        await using var server = await IngestTestServer.StartAsync();
        var body = FirehoseRequests.Body("req-nosrc", FirehoseRequests.Wrapped(TooFewFields));

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-nosrc", body, sourceArn: null), 200, "req-nosrc");

        Assert.Null(Assert.Single(server.Pipeline.Committed).SourceArn);
        Assert.Equal(1, server.MalformedLog.Count(Firehose.MalformedRecordLog.UnknownSource, MalformedReason.FieldCount));
    }
}
