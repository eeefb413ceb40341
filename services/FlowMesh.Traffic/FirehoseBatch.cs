using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace FlowMesh.Traffic;

/// <summary>How each flow-log line is carried in a Firehose record.</summary>
public enum FirehoseRecordShape
{
    /// <summary><c>{"message":"&lt;line&gt;"}</c> — what VPC Flow Logs delivered straight to Firehose produce (spec §2.6).</summary>
    MessageWrapper,
    /// <summary>The bare line.</summary>
    PlainLine,
}

/// <summary>One Firehose HTTP endpoint request body, ready to send (and to re-send unchanged on retry).</summary>
public sealed record FirehoseBatch(string RequestId, byte[] Body, bool Gzip, int Records, long UncompressedBytes);

/// <summary>
/// Builds Firehose HTTP endpoint request bodies (spec §1.3): <c>{"requestId","timestamp","records":[{"data":base64}]}</c>,
/// at most <c>maxBodyBytes</c> uncompressed (Firehose's buffering hint: 1–64 MiB) and at most 10,000 records.
/// </summary>
public static class FirehoseBatchBuilder
{
    public const int MaxRecordsPerRequest = 10_000;

    public static IEnumerable<FirehoseBatch> Build(
        IEnumerable<string> lines, int maxBodyBytes, bool gzip, FirehoseRecordShape shape = FirehoseRecordShape.MessageWrapper,
        Func<string>? newRequestId = null, Func<long>? nowUnixMilliseconds = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBodyBytes, 1024);
        newRequestId ??= () => Guid.NewGuid().ToString();
        nowUnixMilliseconds ??= () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var pending = new List<byte[]>();
        long size = 0;
        const int envelope = 100;
        foreach (var line in lines)
        {
            var payload = Payload(line, shape);
            var recordSize = (((payload.Length + 2) / 3) * 4) + 12;
            if (pending.Count > 0 && (size + recordSize + envelope > maxBodyBytes || pending.Count == MaxRecordsPerRequest))
            {
                yield return Write(pending, gzip, newRequestId(), nowUnixMilliseconds());
                pending.Clear();
                size = 0;
            }
            pending.Add(payload);
            size += recordSize;
        }
        if (pending.Count > 0) yield return Write(pending, gzip, newRequestId(), nowUnixMilliseconds());
    }

    private static byte[] Payload(string line, FirehoseRecordShape shape)
    {
        if (shape == FirehoseRecordShape.PlainLine) return Encoding.UTF8.GetBytes(line);
        var buffer = new ArrayBufferWriter<byte>(line.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("message", line);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static FirehoseBatch Write(List<byte[]> payloads, bool gzip, string requestId, long timestamp)
    {
        var buffer = new ArrayBufferWriter<byte>(payloads.Sum(p => p.Length) * 4 / 3 + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("requestId", requestId);
            writer.WriteNumber("timestamp", timestamp);
            writer.WriteStartArray("records");
            foreach (var payload in payloads)
            {
                writer.WriteStartObject();
                writer.WriteBase64String("data", payload);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        var json = buffer.WrittenSpan;
        if (!gzip) return new FirehoseBatch(requestId, json.ToArray(), false, payloads.Count, json.Length);
        using var compressed = new MemoryStream(json.Length / 4 + 64);
        using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) zip.Write(json);
        return new FirehoseBatch(requestId, compressed.ToArray(), true, payloads.Count, json.Length);
    }
}
