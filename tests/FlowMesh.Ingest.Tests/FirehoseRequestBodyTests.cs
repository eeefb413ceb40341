using System.Text;
using FlowMesh.FlowLogs;
using FlowMesh.Ingest.Firehose;

namespace FlowMesh.Ingest.Tests;

/// <summary>
/// The body walker resumes where it stopped: the endpoint decodes a body in steps of about 64 KiB of
/// base64 and gives the thread back in between. Walked one record per step, a body yields exactly
/// what walking it at once yields, and malformed bodies are refused with the same message at the
/// step that reaches the problem.
/// </summary>
public sealed class FirehoseRequestBodyTests
{
    [Fact]
    public void Step_OneRecordPerStep_SameRecordsMalformedLinesAndEnvelopeAsOneWalk()
    {
        var lines = ExpectedRecords.SampleLines();
        var records = lines.Select(FirehoseRequests.Wrapped).ToList();
        records.Insert(3, Encoding.UTF8.GetBytes("2 123456789010 eni-1")); // a malformed line inside one record
        var body = FirehoseRequests.Body("req-steps", [.. records]);

        var (whole, wholeEnvelope, _) = Walk(body, int.MaxValue);
        var (stepped, steppedEnvelope, steps) = Walk(body, 1);

        Assert.Equal(records.Count + 1, steps); // one record per step, then the end of the body
        Assert.Equal(wholeEnvelope, steppedEnvelope);
        Assert.Equal(new FirehoseRequestBody.Envelope("req-steps", 1578090901599, records.Count), steppedEnvelope);
        ExpectedRecords.AssertAll(lines, stepped.RecordList);
        Assert.Equal(whole.RecordList, stepped.RecordList);
        var malformed = Assert.Single(stepped.MalformedLines);
        Assert.Equal(Assert.Single(whole.MalformedLines), malformed);
    }

    [Theory]
    [InlineData("{\"records\":[{\"data\":\"MQ==\"},{\"data\":\"Mg==\"},7],\"requestId\":\"r\"}", "records[2] must be an object {\"data\": base64}.")]
    [InlineData("{\"records\":[{\"data\":\"MQ==\"},{\"data\":\"Mg==\"},{\"other\":1}],\"requestId\":\"r\"}", "records[2] has no data.")]
    [InlineData("{\"records\":[{\"data\":\"MQ==\"},{\"data\":\"Mg==\"}],\"timestamp\":\"x\"}", "The body's timestamp must be an integer (epoch milliseconds).")]
    [InlineData("{\"records\":[{\"data\":\"MQ==\"},{\"data\":\"Mg==\"}]}", "The body has no requestId.")]
    public void Step_ProblemAfterSomeSteps_RefusedWithTheMessageOfAOneWalk(string json, string message)
    {
        var body = Encoding.UTF8.GetBytes(json);

        var whole = Assert.Throws<FirehoseRejection>(() => Walk(body, int.MaxValue));
        var stepped = Assert.Throws<FirehoseRejection>(() => Walk(body, 1));

        Assert.Equal(message, whole.Message);
        Assert.Equal(message, stepped.Message);
    }

    [Fact]
    public void Step_TrailingContentAfterTheObject_RefusedAsInvalidJsonInStepsToo()
    {
        var body = Encoding.UTF8.GetBytes("{\"requestId\":\"r\",\"records\":[{\"data\":\"MQ==\"},{\"data\":\"Mg==\"}]} {}");

        var stepped = Assert.Throws<FirehoseRejection>(() => Walk(body, 1));

        Assert.StartsWith("The body is not valid JSON: ", stepped.Message);
        Assert.StartsWith("The body is not valid JSON: ", Assert.Throws<FirehoseRejection>(() => Walk(body, int.MaxValue)).Message);
    }

    private static (RecordingBatch Batch, FirehoseRequestBody.Envelope Envelope, int Steps) Walk(byte[] body, int budget)
    {
        var batch = new RecordingBatch("req", null);
        var sink = new DeliverySink(batch);
        var decoder = new FlowPayloadDecoder(FlowLogFormat.Default);
        using var walk = new FirehoseRequestBody();
        var steps = 1;
        while (!walk.Step(body, decoder, sink, budget)) steps++;
        return (batch, walk.Result, steps);
    }
}
