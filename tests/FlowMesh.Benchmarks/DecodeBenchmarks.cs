using System.IO.Compression;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FlowMesh.FlowLogs;

namespace FlowMesh.Benchmarks;

/// <summary>
/// <see cref="FlowPayloadDecoder.Decode"/> over a Firehose delivery of 10,000 records (base64 already
/// decoded, as the ingest service hands them over): direct delivery (one <c>{"message": …}</c> per record)
/// and CloudWatch Logs envelopes (gzip, 500 events each). Reported per flow line.
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private byte[][] _wrapped = [];
    private byte[][] _envelopes = [];
    private readonly FlowPayloadDecoder _decoder = new(FlowLogFormat.Default);
    private readonly CountingSink _sink = new();

    [GlobalSetup]
    public void Setup()
    {
        var lines = Encoding.ASCII.GetString(FlowLines.DefaultV2()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        _wrapped = lines.Select(line => JsonSerializer.SerializeToUtf8Bytes(new { message = line })).ToArray();
        _envelopes = lines.Chunk(500).Select(chunk => Gzip(JsonSerializer.SerializeToUtf8Bytes(new
        {
            messageType = "DATA_MESSAGE", owner = "123456789012", logGroup = "vpc-flow-logs", logStream = "eni-all",
            subscriptionFilters = new[] { "to-firehose" },
            logEvents = chunk.Select((line, i) => new { id = $"3700000000000000000000000000000000000000000000000000{i:d4}", timestamp = 1764115260000, message = line }),
        }))).ToArray();
        if (Run(_wrapped) != lines.Length || Run(_envelopes) != lines.Length)
            throw new InvalidOperationException("benchmark payloads did not decode to every line");
    }

    [Benchmark(OperationsPerInvoke = FlowLines.LineCount)]
    public int DecodeDirectMessageRecord() => Run(_wrapped);

    [Benchmark(OperationsPerInvoke = FlowLines.LineCount)]
    public int DecodeGzipCloudWatchEnvelope() => Run(_envelopes);

    private int Run(byte[][] payloads)
    {
        _sink.Records = 0;
        foreach (var payload in payloads) _decoder.Decode(payload, _sink);
        return _sink.Records;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }
}
