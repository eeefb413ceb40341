using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using FlowMesh.FlowLogs;

namespace FlowMesh.Ingest.Firehose;

/// <summary>
/// Walks a Firehose request body (spec §1.3) with <see cref="Utf8JsonReader"/>, in steps that can
/// be spread over several turns of the thread pool (a reader is resumed from its saved state): captures
/// <c>requestId</c> and <c>timestamp</c>, and base64-decodes each <c>records[].data</c> into a
/// pooled buffer that the payload decoder reads straight into the sink. No string is made of the
/// body or of a record. Unknown properties are skipped; a record that is not base64 is reported
/// to the sink as malformed and the rest of the batch goes on.
/// </summary>
internal sealed class FirehoseRequestBody : IDisposable
{
    /// <summary>What the body said besides its records.</summary>
    public readonly record struct Envelope(string RequestId, long? Timestamp, int RecordCount);

    private readonly PooledBuffer _scratch = new(4096);
    private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = 16 });
    private int _offset;
    private bool _started;
    private bool _inRecords;
    private Envelope? _envelope;
    private string? _requestId;
    private long? _timestamp;
    private int _recordCount = -1;
    private int _index;

    /// <summary>The body's request id, timestamp and record count, once <see cref="Step"/> returned true.</summary>
    public Envelope Result => _envelope ?? throw new InvalidOperationException("The body has not been walked to its end.");

    /// <summary>
    /// Walks on from where the previous step stopped, through whole records, until the records decoded
    /// in this step hold at least <paramref name="base64Budget"/> bytes of base64 or the body ends, so
    /// a caller can give the thread back between steps. <paramref name="json"/> must be the same body
    /// every time. True once the body is done (<see cref="Result"/>).
    /// </summary>
    /// <exception cref="FirehoseRejection">The body is not the JSON Firehose sends.</exception>
    public bool Step(ReadOnlySpan<byte> json, FlowPayloadDecoder decoder, DeliverySink sink, int base64Budget)
    {
        if (_envelope is not null) return true;
        try
        {
            var reader = new Utf8JsonReader(json[_offset..], isFinalBlock: true, _state);
            if (Walk(ref reader, decoder, sink, base64Budget)) return true;
            _offset += (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            return false;
        }
        catch (JsonException e)
        {
            throw new FirehoseRejection($"The body is not valid JSON: {e.Message}", e);
        }
    }

    public void Dispose() => _scratch.Dispose();

    private bool Walk(ref Utf8JsonReader reader, FlowPayloadDecoder decoder, DeliverySink sink, int base64Budget)
    {
        if (!_started)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new FirehoseRejection("The body must be a JSON object {\"requestId\", \"timestamp\", \"records\"}.");
            _started = true;
        }
        var budget = (long)base64Budget;
        while (true)
        {
            if (_inRecords)
            {
                if (!DecodeRecords(ref reader, decoder, sink, ref budget)) return false;
                _inRecords = false;
            }
            if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName) break;
            if (reader.ValueTextEquals("requestId"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                    throw new FirehoseRejection("The body's requestId must be a string.");
                _requestId = reader.GetString();
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
                    throw new FirehoseRejection("The body's timestamp must be an integer (epoch milliseconds).");
                _timestamp = value;
            }
            else if (reader.ValueTextEquals("records"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw new FirehoseRejection("The body's records must be an array of {\"data\": base64}.");
                _inRecords = true;
                _index = 0;
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

        if (_requestId is null)
            throw new FirehoseRejection("The body has no requestId.");
        if (_recordCount < 0)
            throw new FirehoseRejection("The body has no records array.");
        _envelope = new Envelope(_requestId, _timestamp, _recordCount);
        return true;
    }

    /// <summary>Decodes records until the array ends (true) or the budget is spent after a whole record (false).</summary>
    private bool DecodeRecords(ref Utf8JsonReader reader, FlowPayloadDecoder decoder, DeliverySink sink, ref long budget)
    {
        while (budget > 0)
        {
            if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
            {
                _recordCount = _index;
                return true;
            }
            var index = _index;
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
                budget -= reader.ValueSpan.Length + 1;
                DecodeRecord(ref reader, _scratch, decoder, sink);
            }
            if (!sawData)
                throw new FirehoseRejection($"records[{index}] has no data.");
            _index++;
        }
        return false;
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
