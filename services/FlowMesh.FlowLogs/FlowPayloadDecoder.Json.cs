using System.Text.Json;

namespace FlowMesh.FlowLogs;

/// <summary>The JSON shapes: a CloudWatch Logs subscription envelope (§3.1) or a <c>{"message": …}</c> wrapper (§2.6).</summary>
public sealed partial class FlowPayloadDecoder
{
    private enum JsonShape : byte { Unknown, Message, DataMessage, ControlMessage, OtherMessageType }

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    private void DecodeJson(ReadOnlySpan<byte> json, IFlowRecordSink sink, ref int lineNumber)
    {
        // First pass: check the whole document and learn its shape, since "messageType" may follow
        // "logEvents". Only then emit, so a broken document yields one report and no partial records.
        JsonShape shape;
        try
        {
            shape = ReadShape(json);
        }
        catch (JsonException e)
        {
            sink.OnMalformed(FlowLogParser.Malformed(MalformedReason.InvalidJson, lineNumber + 1, null,
                $"the payload is not valid JSON: {e.Message}", json));
            lineNumber++;
            return;
        }

        switch (shape)
        {
            case JsonShape.ControlMessage:
                sink.OnControlMessage();
                return;
            case JsonShape.Message:
            case JsonShape.DataMessage:
                EmitMessages(json, shape, sink, ref lineNumber);
                return;
            default:
                var message = shape == JsonShape.OtherMessageType
                    ? "the CloudWatch Logs envelope has a messageType other than DATA_MESSAGE or CONTROL_MESSAGE"
                    : "expected a {\"message\": \"<flow-log line>\"} object or a CloudWatch Logs envelope with messageType and logEvents";
                sink.OnMalformed(FlowLogParser.Malformed(MalformedReason.InvalidJson, lineNumber + 1, null, message, json));
                lineNumber++;
                return;
        }
    }

    private static JsonShape ReadShape(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read(); // the '{' the caller saw
        JsonShape messageType = JsonShape.Unknown;
        bool hasMessage = false, hasLogEvents = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("messageType"u8))
            {
                reader.Read();
                messageType = reader.TokenType != JsonTokenType.String ? JsonShape.OtherMessageType
                    : reader.ValueTextEquals("DATA_MESSAGE"u8) ? JsonShape.DataMessage
                    : reader.ValueTextEquals("CONTROL_MESSAGE"u8) ? JsonShape.ControlMessage
                    : JsonShape.OtherMessageType;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                hasMessage |= reader.TokenType == JsonTokenType.String;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("logEvents"u8))
            {
                reader.Read();
                hasLogEvents |= reader.TokenType == JsonTokenType.StartArray;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip(); // unknown keys (owner, logGroup, policyLevel…) are ignored
            }
        }
        // Anything after the closing brace other than whitespace makes the reader throw here.
        while (reader.Read())
        {
        }

        return messageType switch
        {
            JsonShape.DataMessage => hasLogEvents ? JsonShape.DataMessage : JsonShape.Unknown,
            JsonShape.Unknown => hasMessage ? JsonShape.Message : JsonShape.Unknown,
            _ => messageType,
        };
    }

    private void EmitMessages(ReadOnlySpan<byte> json, JsonShape shape, IFlowRecordSink sink, ref int lineNumber)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (shape == JsonShape.Message && reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    ParseMessage(ref reader, sink, ref lineNumber);
                    return; // a wrapper carries one message
                }
                reader.Skip();
            }
            else if (shape == JsonShape.DataMessage && reader.ValueTextEquals("logEvents"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    EmitLogEvents(ref reader, sink, ref lineNumber);
                    return;
                }
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void EmitLogEvents(ref Utf8JsonReader reader, IFlowRecordSink sink, ref int lineNumber)
    {
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var found = false;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isMessage = reader.ValueTextEquals("message"u8);
                    reader.Read();
                    if (isMessage && !found && reader.TokenType == JsonTokenType.String)
                    {
                        found = true;
                        ParseMessage(ref reader, sink, ref lineNumber);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
            if (!found)
            {
                lineNumber++;
                sink.OnMalformed(new MalformedLine(MalformedReason.InvalidJson, lineNumber, null,
                    $"logEvents[{index}] has no \"message\" string", string.Empty));
            }
            index++;
        }
    }

    private void ParseMessage(ref Utf8JsonReader reader, IFlowRecordSink sink, ref int lineNumber)
    {
        ReadOnlySpan<byte> line;
        if (reader.ValueIsEscaped)
        {
            // Unescaped text is never longer than its escaped form.
            var scratch = Scratch(reader.ValueSpan.Length);
            int length;
            try
            {
                length = reader.CopyString(scratch);
            }
            catch (InvalidOperationException e)
            {
                // The reader accepts "\ud800" syntactically; only unescaping finds the lone surrogate.
                lineNumber++;
                sink.OnMalformed(FlowLogParser.Malformed(MalformedReason.InvalidJson, lineNumber, null,
                    $"the message string cannot be unescaped: {e.Message}", reader.ValueSpan));
                return;
            }
            line = scratch[..length];
        }
        else
        {
            line = reader.ValueSpan;
        }
        _parser.ParseText(line, sink, ref lineNumber);
    }
}
