using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FlowMesh.FlowLogs;
using FlowMesh.Ingest.Firehose;

namespace FlowMesh.Benchmarks;

/// <summary>
/// The ingest endpoint's walk of a Firehose body of 10,000 direct-delivery records (JSON, base64,
/// <c>{"message": …}</c>, parsing) into a sink, at once and in the endpoint's steps of
/// <see cref="FirehoseEndpoint.DecodeStepBytes"/> of base64 (the reader is re-created from its saved
/// state at each step; the endpoint's Task.Yield between steps is not included). Reported per record.
/// </summary>
[MemoryDiagnoser]
public class FirehoseBodyBenchmarks : IDisposable
{
    private byte[] _body = [];
    private readonly FlowPayloadDecoder _decoder = new(FlowLogFormat.Default);
    private readonly CountingDeliveryBatch _batch = new();

    [Params(int.MaxValue, FirehoseEndpoint.DecodeStepBytes)]
    public int StepBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var lines = Encoding.ASCII.GetString(FlowLines.DefaultV2()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("requestId", "bench");
            json.WriteNumber("timestamp", 1764115260000);
            json.WriteStartArray("records");
            foreach (var line in lines)
            {
                json.WriteStartObject();
                json.WriteBase64String("data", JsonSerializer.SerializeToUtf8Bytes(new { message = line }));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        _body = stream.ToArray();
        if (Walk() != lines.Length) throw new InvalidOperationException("the body did not decode to every line");
    }

    [Benchmark(OperationsPerInvoke = FlowLines.LineCount)]
    public int WalkBody() => Walk();

    private int Walk()
    {
        _batch.Records = 0;
        var sink = new DeliverySink(_batch);
        using var walk = new FirehoseRequestBody();
        while (!walk.Step(_body, _decoder, sink, StepBytes)) { }
        return walk.Result.RecordCount == FlowLines.LineCount ? _batch.Records : -1;
    }

    public void Dispose()
    {
        _batch.Dispose();
        GC.SuppressFinalize(this);
    }
}
