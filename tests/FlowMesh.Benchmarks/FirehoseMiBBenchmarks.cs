using System.IO.Compression;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FlowMesh.FlowLogs;
using FlowMesh.Ingest.Firehose;
using Microsoft.AspNetCore.Http;

namespace FlowMesh.Benchmarks;

/// <summary>
/// Firehose body decoding per MiB: one operation is a request body of exactly 1 MiB of JSON
/// (direct-delivery records, <c>{"message": …}</c> in base64, padded with trailing whitespace to
/// 1,048,576 bytes), walked by the endpoint's code in its 64 KiB steps — JSON, base64, unwrap,
/// parse — and, in <see cref="GunzipJsonBase64Parse"/>, first inflated from gzip by the endpoint's
/// body reader, as Firehose sends it. Time and allocation are per MiB of JSON.
/// </summary>
[MemoryDiagnoser]
public class FirehoseMiBBenchmarks : IDisposable
{
    public const int MiB = 1 << 20;

    private byte[] _json = [];
    private byte[] _gzip = [];
    private readonly FlowPayloadDecoder _decoder = new(FlowLogFormat.Default);
    private readonly CountingDeliveryBatch _batch = new();
    private readonly IngestOptions _options = new();

    [GlobalSetup]
    public void Setup()
    {
        var lines = Encoding.ASCII.GetString(FlowLines.DefaultV2()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var records = lines.Select(line => JsonSerializer.SerializeToUtf8Bytes(new { data = JsonSerializer.SerializeToUtf8Bytes(new { message = line }) })).ToArray();
        var json = new List<byte>(MiB);
        json.AddRange("{\"requestId\":\"bench\",\"timestamp\":1764115260000,\"records\":["u8.ToArray());
        var count = 0;
        // Records until the next would leave no room for the closing "]}".
        while (json.Count + 1 + records[count % records.Length].Length + 2 <= MiB)
        {
            if (count > 0) json.Add((byte)',');
            json.AddRange(records[count % records.Length]);
            count++;
        }
        json.AddRange("]}"u8.ToArray());
        while (json.Count < MiB) json.Add((byte)' ');
        _json = [.. json];
        using (var output = new MemoryStream())
        {
            using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(_json);
            _gzip = output.ToArray();
        }
        if (JsonBase64Parse() != count || GunzipJsonBase64Parse().GetAwaiter().GetResult() != count)
            throw new InvalidOperationException("the 1 MiB body did not decode to every record");
        Console.WriteLine($"// 1 MiB body: {count:N0} records, {_gzip.Length:N0} bytes gzip'd");
    }

    [Benchmark(Baseline = true)]
    public int JsonBase64Parse() => Walk(_json);

    [Benchmark]
    public async Task<int> GunzipJsonBase64Parse()
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(_gzip, writable: false);
        context.Request.ContentLength = _gzip.Length;
        var (body, _) = await FirehoseBodyReader.ReadAsync(context.Request, gzip: true, _options, CancellationToken.None);
        using (body) return Walk(body.WrittenSpan);
    }

    private int Walk(ReadOnlySpan<byte> json)
    {
        _batch.Records = 0;
        var sink = new DeliverySink(_batch);
        using var walk = new FirehoseRequestBody();
        while (!walk.Step(json, _decoder, sink, FirehoseEndpoint.DecodeStepBytes)) { }
        return _batch.Records;
    }

    public void Dispose()
    {
        _batch.Dispose();
        GC.SuppressFinalize(this);
    }
}
