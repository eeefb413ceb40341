using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace FlowMesh.Ingest.Tests;

/// <summary>Builds Firehose requests the way Firehose sends them (spec §1.2, §1.3).</summary>
public static class FirehoseRequests
{
    public const string Path = "/v1/firehose";
    public const string SourceArn = "arn:aws:firehose:us-east-1:123456789010:deliverystream/flowlogs";

    /// <summary>A compact body {"requestId","timestamp","records":[{"data": base64}]}.</summary>
    public static byte[] Body(string requestId, params byte[][] records)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("requestId", requestId);
            json.WriteNumber("timestamp", 1578090901599);
            json.WriteStartArray("records");
            foreach (var record in records)
            {
                json.WriteStartObject();
                json.WriteString("data", Convert.ToBase64String(record));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>One direct-delivery record: {"message":"line"} (spec §2.6).</summary>
    public static byte[] Wrapped(string line) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { message = line }));

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
            gzip.Write(data);
        return output.ToArray();
    }

    public static HttpRequestMessage Post(
        string requestId,
        byte[] body,
        string? accessKey = IngestTestServer.AccessKey,
        bool gzip = false,
        string? sourceArn = SourceArn,
        string? commonAttributes = null,
        string path = Path)
    {
        var content = new ByteArrayContent(gzip ? Gzip(body) : body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (gzip)
            content.Headers.ContentEncoding.Add("gzip");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("X-Amz-Firehose-Protocol-Version", "1.0");
        if (requestId.Length > 0)
            request.Headers.Add("X-Amz-Firehose-Request-Id", requestId);
        if (sourceArn is not null)
            request.Headers.Add("X-Amz-Firehose-Source-Arn", sourceArn);
        if (accessKey is not null)
            request.Headers.Add("X-Amz-Firehose-Access-Key", accessKey);
        if (commonAttributes is not null)
            request.Headers.TryAddWithoutValidation("X-Amz-Firehose-Common-Attributes", commonAttributes);
        return request;
    }
}
