using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using FlowMesh.FlowLogs;

namespace FlowMesh.Ingest.Firehose;

/// <summary>
/// Walks a Firehose request body (spec §1.3) with <see cref="Utf8JsonReader"/>: captures
/// <c>requestId</c> and <c>timestamp</c>, and base64-decodes each <c>records[].data</c> into a
/// pooled buffer that the payload decoder reads straight into the sink. No string is made of the
/// body or of a record. Unknown properties are skipped; a record that is not base64 is reported
/// to the sink as malformed and the rest of the batch goes on.
/// </summary>
internal static class FirehoseRequestBody
{
    /// <summary>What the body said besides its records.</summary>
    public readonly record struct Envelope(string RequestId, long? Timestamp, int RecordCount);

    public static Envelope Decode(ReadOnlySpan<byte> json, FlowPayloadDecoder decoder, DeliverySink sink)
    {
        try
        {
            return Walk(json, decoder, sink);
        }
        catch (JsonException e)
        {
            throw new FirehoseRejection($"The body is not valid JSON: {e.Message}", e);
        }
    }

    private static Envelope Walk(ReadOnlySpan<byte> json, FlowPayloadDecoder decoder, DeliverySink sink)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new FirehoseRejection("The body must be a JSON object {\"requestId\", \"timestamp\", \"records\"}.");

        string? requestId = null;
        long? timestamp = null;
        var recordCount = -1;
        using var scratch = new PooledBuffer(4096);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("requestId"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                    throw new FirehoseRejection("The body's requestId must be a string.");
                requestId = reader.GetString();
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
                    throw new FirehoseRejection("The body's timestamp must be an integer (epoch milliseconds).");
                timestamp = value;
            }
            else if (reader.ValueTextEquals("records"u8))
            {
                reader.Read();
                recordCount = DecodeRecords(ref reader, scratch, decoder, sink);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject)
            throw new FirehoseRejection("The body must be a JSON object {\"requestId\", \"timestamp\", \"records\"}.");
        // Reading past the end makes the reader reject anything after the object.
        reader.Read();

        if (requestId is null)
            throw new FirehoseRejection("The body has no requestId.");
        if (recordCount < 0)
            throw new FirehoseRejection("The body has no records array.");
        return new Envelope(requestId, timestamp, recordCount);
    }

    private static int DecodeRecords(ref Utf8JsonReader reader, PooledBuffer scratch, FlowPayloadDecoder decoder, DeliverySink sink)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new FirehoseRejection("The body's records must be an array of {\"data\": base64}.");
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
                throw new FirehoseRejection($"records[{index}] must be an object {{\"data\": base64}}.");
            sink.RecordIndex = index;
            var sawData = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isData = reader.ValueTextEquals("data"u8);
                reader.Read();
                if (!isData)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType != JsonTokenType.String)
                    throw new FirehoseRejection($"records[{index}].data must be a base64 string.");
                sawData = true;
                DecodeRecord(ref reader, scratch, decoder, sink);
            }
            if (!sawData)
                throw new FirehoseRejection($"records[{index}] has no data.");
            index++;
        }
        return index;
    }

    private static void DecodeRecord(ref Utf8JsonReader reader, PooledBuffer scratch, FlowPayloadDecoder decoder, DeliverySink sink)
    {
        OperationStatus status;
        Span<byte> payload;
        if (reader.ValueIsEscaped)
        {
            // Base64 never needs escaping, but a JSON writer may still write '/' as "\/":
            // unescape into the scratch buffer, then decode there in place.
            var buffer = scratch.GetScratch(reader.ValueSpan.Length);
            var length = reader.CopyString(buffer);
            status = Base64.DecodeFromUtf8InPlace(buffer[..length], out var written);
            payload = buffer[..written];
        }
        else
        {
            var buffer = scratch.GetScratch(Base64.GetMaxDecodedFromUtf8Length(reader.ValueSpan.Length));
            status = Base64.DecodeFromUtf8(reader.ValueSpan, buffer, out _, out var written);
            payload = buffer[..written];
        }

        if (status == OperationStatus.Done)
            decoder.Decode(payload, sink);
        else
            ReportInvalidBase64(reader.ValueSpan, sink);
    }

    private static void ReportInvalidBase64(ReadOnlySpan<byte> base64, DeliverySink sink)
    {
        var shown = base64[..Math.Min(base64.Length, MalformedLine.MaxTextLength)];
        var line = new MalformedLine(MalformedReason.InvalidBase64, 1, null,
            $"records[{sink.RecordIndex}].data is not valid base64", System.Text.Encoding.UTF8.GetString(shown));
        sink.OnMalformed(in line);
    }
}
