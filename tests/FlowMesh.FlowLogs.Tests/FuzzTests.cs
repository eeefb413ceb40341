using System.IO.Compression;
using System.Text;

namespace FlowMesh.FlowLogs.Tests;

/// <summary>Garbage in: never an exception, and every non-blank line accounted for exactly once.</summary>
public sealed class FuzzTests
{
    private static readonly byte[] ValidLine = "2 123456789012 eni-0a1b2c3d4e5f60718 10.0.1.15 2001:db8::1 49152 443 6 24 8420 1764115200 1764115260 ACCEPT OK"u8.ToArray();

    /// <summary>Lines the parser will see: split on '\n', blank after trimming ' ', '\t', '\r' are skipped.</summary>
    private static int NonBlankLines(ReadOnlySpan<byte> text)
    {
        var count = 0;
        foreach (var range in text.Split((byte)'\n'))
        {
            if (!text[range].Trim(" \t\r"u8).IsEmpty) count++;
        }
        return count;
    }

    private static bool LooksLikeHeader(ReadOnlySpan<byte> text)
    {
        foreach (var range in text.Split((byte)'\n'))
        {
            var line = text[range].Trim(" \t\r"u8);
            if (!line.IsEmpty && FlowLogFormat.TryParseHeader(line, out _)) return true;
        }
        return false;
    }

    private static void AssertEveryLineReported(byte[] text, string context)
    {
        var parser = new FlowLogParser(FlowLogFormat.Default);
        var sink = new RecordingSink();
        var lineNumber = 0;

        parser.ParseText(text, sink, ref lineNumber);

        if (!LooksLikeHeader(text))
            Assert.True(NonBlankLines(text) == sink.Records.Count + sink.Malformed.Count, context);
        Assert.All(sink.Malformed, m => Assert.False(string.IsNullOrEmpty(m.Message)));
        Assert.All(sink.Malformed, m => Assert.InRange(m.Text.Length, 0, MalformedLine.MaxTextLength));
        Assert.All(sink.Malformed, m => Assert.InRange(m.LineNumber, 1, lineNumber));
    }

    [Fact]
    public void ParseText_RandomBytes_NeverThrowsAndReportsEveryLine()
    {
        var random = new Random(1);
        byte[] alphabet = [.. "0123456789.:- abcdefABCDEF\n\r\t{}\"\\"u8, 0x00, 0xC3, 0xFF, 0x80];
        for (var n = 0; n < 3000; n++)
        {
            var text = new byte[random.Next(0, 300)];
            if (n % 2 == 0) random.NextBytes(text);
            else for (var i = 0; i < text.Length; i++) text[i] = alphabet[random.Next(alphabet.Length)];

            AssertEveryLineReported(text, $"case {n}");
        }
    }

    [Fact]
    public void ParseText_TruncatedValidLine_IsAlwaysOneMalformedLine()
    {
        for (var length = 1; length < ValidLine.Length; length++)
        {
            var text = ValidLine[..length];
            var parser = new FlowLogParser(FlowLogFormat.Default);
            var sink = new RecordingSink();
            var lineNumber = 0;

            parser.ParseText(text, sink, ref lineNumber);

            // Cut short, the line lacks a field (or has a dangling separator): never a record.
            Assert.Empty(sink.Records);
            Assert.Single(sink.Malformed);
        }
    }

    [Fact]
    public void ParseText_SingleByteMutations_NeverThrowAndReportEveryLine()
    {
        var random = new Random(2);
        for (var n = 0; n < 20000; n++)
        {
            var text = (byte[])ValidLine.Clone();
            text[random.Next(text.Length)] = (byte)random.Next(256);

            AssertEveryLineReported(text, Encoding.Latin1.GetString(text));
        }
    }

    [Fact]
    public void Decode_RandomJsonAndGzipGarbage_NeverThrows()
    {
        var random = new Random(3);
        var decoder = new FlowPayloadDecoder(FlowLogFormat.Default, maxInflatedBytes: 4096);
        var envelope = SharedSamples.FirehoseRecords("firehose-cwl.json")[0];
        var inflated = Inflate(envelope);
        string[] jsons =
        [
            "{\"message\":", "{\"message\": 5}", "{\"messageType\":\"DATA_MESSAGE\"}", "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[1,{},{\"message\":null}]}",
            "{\"messageType\":\"OTHER\"}", "{\"message\":\"\\ud800\"}", "{\"message\":\"a\"} trailing", "{}", "{\"a\":[[[[", "{\"message\":\"2 1\\n\\n3\"}",
        ];
        for (var n = 0; n < 4000; n++)
        {
            byte[] payload = (n % 4) switch
            {
                0 => Mutate(envelope, random),
                1 => Gzip(Mutate(inflated, random)),
                2 => Encoding.UTF8.GetBytes(jsons[random.Next(jsons.Length)]),
                _ => Mutate(inflated, random),
            };
            var sink = new RecordingSink();

            decoder.Decode(payload, sink);

            Assert.All(sink.Malformed, m => Assert.False(string.IsNullOrEmpty(m.Message)));
            Assert.All(sink.Malformed, m => Assert.True(m.Reason != 0));
        }
    }

    [Fact]
    public void Decode_WrapperWithSeveralLines_ReportsEachNonBlankLineOnce()
    {
        var random = new Random(4);
        var decoder = new FlowPayloadDecoder(FlowLogFormat.Default);
        for (var n = 0; n < 2000; n++)
        {
            var lines = Enumerable.Range(0, random.Next(1, 6)).Select(_ =>
            {
                var line = (byte[])ValidLine.Clone();
                if (random.Next(2) == 0) line[random.Next(line.Length)] = (byte)random.Next(32, 127);
                return Encoding.UTF8.GetString(line);
            }).ToList();
            var text = string.Join(random.Next(2) == 0 ? "\n" : "\r\n", lines);
            var payload = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { message = text }));
            var sink = new RecordingSink();

            decoder.Decode(payload, sink);

            Assert.Equal(NonBlankLines(Encoding.UTF8.GetBytes(text)), sink.Records.Count + sink.Malformed.Count);
        }
    }

    private static byte[] Mutate(byte[] data, Random random)
    {
        var copy = (byte[])data.Clone();
        switch (random.Next(3))
        {
            case 0: copy[random.Next(copy.Length)] = (byte)random.Next(256); return copy;
            case 1: return copy[..random.Next(copy.Length)];
            default:
                for (var i = random.Next(1, 8); i > 0; i--) copy[random.Next(copy.Length)] = (byte)random.Next(256);
                return copy;
        }
    }

    private static byte[] Inflate(byte[] gzip)
    {
        using var output = new MemoryStream();
        using (var inflater = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress)) inflater.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var deflater = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) deflater.Write(data);
        return output.ToArray();
    }
}
