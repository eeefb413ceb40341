using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace FlowMesh.FlowLogs.Tests;

public sealed class FlowPayloadDecoderTests
{
    private const string Line1 = "2 123456789012 eni-1 10.0.1.15 172.217.14.206 49152 443 6 24 8420 1764115200 1764115260 ACCEPT OK";
    private const string Line2 = "2 123456789012 eni-2 198.51.100.23 10.0.1.15 51514 22 6 3 180 1764115205 1764115259 REJECT OK";

    private static RecordingSink Decode(byte[] payload, FlowLogFormat? format = null, int maxInflated = 1 << 20)
    {
        var sink = new RecordingSink();
        new FlowPayloadDecoder(format ?? FlowLogFormat.Default, maxInflated).Decode(payload, sink);
        return sink;
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var deflater = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) deflater.Write(data);
        return output.ToArray();
    }

    private static string Envelope(string messageType, params string[] messages) => JsonSerializer.Serialize(new
    {
        logEvents = messages.Select((m, i) => new { id = i.ToString(null, null), timestamp = 1764115260000, message = m }),
        owner = "123456789012",
        messageType,
        policyLevel = "ACCOUNT_LEVEL_POLICY",
    });

    [Theory]
    [InlineData(Line1)]
    [InlineData(Line1 + "\n")]
    [InlineData(Line1 + "\r\n")]
    [InlineData("\n  " + Line1 + "\n\n")]
    public void Decode_BareLine_WithOrWithoutNewline_IsOneRecord(string text)
    {
        var sink = Decode(Utf8(text));

        Assert.Equal("eni-1", Assert.Single(sink.Records).InterfaceId);
        Assert.Empty(sink.Malformed);
    }

    [Fact]
    public void Decode_SeveralBareLines_AreSeveralRecords()
    {
        var sink = Decode(Utf8(Line1 + "\n" + Line2));

        Assert.Equal(["eni-1", "eni-2"], sink.Records.Select(r => r.InterfaceId));
    }

    [Fact]
    public void Decode_MessageWrapperWithEscapesAndUnknownKeys_IsTheUnescapedLine()
    {
        var json = "  {\"other\":{\"a\":[1,2]},\"message\":\"" + Line1.Replace("eni-1", "eni-\\u0031\\/x", StringComparison.Ordinal) + "\\n\"}";

        var sink = Decode(Utf8(json));

        Assert.Empty(sink.Malformed);
        Assert.Equal("eni-1/x", Assert.Single(sink.Records).InterfaceId);
    }

    [Fact]
    public void Decode_MessageWrapperWithTwoLines_IsTwoRecords()
    {
        var sink = Decode(Utf8(JsonSerializer.Serialize(new { message = Line1 + "\n" + Line2 })));

        Assert.Equal(2, sink.Records.Count);
        Assert.Equal(FlowAction.Reject, sink.Records[1].Action);
    }

    [Fact]
    public void Decode_GzipDataMessage_MessageTypeAfterEvents_EmitsEveryEvent()
    {
        var sink = Decode(Gzip(Utf8(Envelope("DATA_MESSAGE", Line1, Line2, "2 bad"))));

        Assert.Equal(["eni-1", "eni-2"], sink.Records.Select(r => r.InterfaceId));
        var bad = Assert.Single(sink.Malformed);
        Assert.Equal(MalformedReason.FieldCount, bad.Reason);
        Assert.Equal(3, bad.LineNumber);
        Assert.Equal(0, sink.ControlMessages);
    }

    [Fact]
    public void Decode_PlainDataMessage_IsHandledLikeGzip()
    {
        var sink = Decode(Utf8(Envelope("DATA_MESSAGE", Line2)));

        Assert.Equal("eni-2", Assert.Single(sink.Records).InterfaceId);
    }

    [Fact]
    public void Decode_ControlMessage_OnlyReportsTheControlMessage()
    {
        var sink = Decode(Gzip(Utf8(Envelope("CONTROL_MESSAGE", "CWL CONTROL MESSAGE: Checking health of destination Firehose."))));

        Assert.Equal(1, sink.ControlMessages);
        Assert.Empty(sink.Records);
        Assert.Empty(sink.Malformed);
    }

    [Fact]
    public void Decode_EventWithoutMessage_IsInvalidJsonForThatEventOnly()
    {
        var json = "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\"},{\"message\":\"" + Line1 + "\"}]}";

        var sink = Decode(Utf8(json));

        Assert.Single(sink.Records);
        var bad = Assert.Single(sink.Malformed);
        Assert.Equal(MalformedReason.InvalidJson, bad.Reason);
        Assert.Equal("logEvents[0] has no \"message\" string", bad.Message);
    }

    [Theory]
    [InlineData("{\"message\": \"" + Line1 + "\"")]
    [InlineData("{\"message\": \"" + Line1 + "\"} {}")]
    [InlineData("{'message': 1}")]
    public void Decode_BrokenJson_IsOneInvalidJsonAndNoRecord(string json)
    {
        var sink = Decode(Utf8(json));

        Assert.Empty(sink.Records);
        var bad = Assert.Single(sink.Malformed);
        Assert.Equal(MalformedReason.InvalidJson, bad.Reason);
        Assert.StartsWith("the payload is not valid JSON: ", bad.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"msg\":\"x\"}", "expected a {\"message\": \"<flow-log line>\"} object")]
    [InlineData("{\"message\":5}", "expected a {\"message\": \"<flow-log line>\"} object")]
    [InlineData("{\"messageType\":\"DATA_MESSAGE\"}", "expected a {\"message\": \"<flow-log line>\"} object")]
    [InlineData("{\"messageType\":\"SOMETHING\",\"logEvents\":[]}", "the CloudWatch Logs envelope has a messageType other than")]
    public void Decode_JsonOfAnotherShape_IsInvalidJson(string json, string messageStart)
    {
        var sink = Decode(Utf8(json));

        var bad = Assert.Single(sink.Malformed);
        Assert.Equal(MalformedReason.InvalidJson, bad.Reason);
        Assert.StartsWith(messageStart, bad.Message, StringComparison.Ordinal);
        Assert.Equal(json, bad.Text);
    }

    [Fact]
    public void Decode_GzipBeyondLimit_IsOneInvalidGzip()
    {
        var big = Utf8(string.Join('\n', Enumerable.Repeat(Line1, 100)));

        var rejected = Decode(Gzip(big), maxInflated: big.Length - 1);
        var accepted = Decode(Gzip(big), maxInflated: big.Length);

        Assert.Empty(rejected.Records);
        var bad = Assert.Single(rejected.Malformed);
        Assert.Equal(MalformedReason.InvalidGzip, bad.Reason);
        Assert.Equal($"the gzip payload inflates beyond the limit of {big.Length - 1} bytes", bad.Message);
        Assert.Equal(100, accepted.Records.Count);
    }

    [Fact]
    public void Decode_CorruptGzip_IsOneInvalidGzip()
    {
        var gzip = Gzip(Utf8(Line1));
        gzip[10] ^= 0xFF;
        gzip[11] ^= 0xFF;

        var sink = Decode(gzip);

        Assert.Empty(sink.Records);
        Assert.Equal(MalformedReason.InvalidGzip, Assert.Single(sink.Malformed).Reason);
    }

    [Fact]
    public void Decode_HeaderInOnePayload_DoesNotCarryToTheNext()
    {
        var decoder = new FlowPayloadDecoder(FlowLogFormat.Default);
        var sink = new RecordingSink();

        decoder.Decode(Utf8("srcaddr dstport\n10.0.0.1 80"), sink);
        decoder.Decode(Utf8(Line1), sink);

        Assert.Empty(sink.Malformed);
        Assert.Equal(80, sink.Records[0].DstPort);
        Assert.Equal("eni-1", sink.Records[1].InterfaceId);
    }

    [Fact]
    public void Decode_LargeGzipEnvelope_GrowsBuffersAndKeepsEveryEvent()
    {
        var lines = Enumerable.Range(0, 5000).Select(i => Line1.Replace("eni-1", $"eni-{i}", StringComparison.Ordinal)).ToArray();
        var decoder = new FlowPayloadDecoder(FlowLogFormat.Default);
        var sink = new RecordingSink();

        decoder.Decode(Gzip(Utf8(Envelope("DATA_MESSAGE", lines))), sink);

        Assert.Equal(5000, sink.Records.Count);
        Assert.Equal("eni-4999", sink.Records[^1].InterfaceId);
        Assert.Equal(5000, decoder.LineCount);
    }
}
