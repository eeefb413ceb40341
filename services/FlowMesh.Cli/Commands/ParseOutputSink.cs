using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FlowMesh.FlowLogs;

namespace FlowMesh.Cli.Commands;

/// <summary>Prints records (aligned text or JSON Lines) to stdout and malformed lines to stderr as FILE:LINE: reason.</summary>
internal sealed class ParseOutputSink : IFlowRecordSink, IDisposable
{
    private readonly CliConsole _console;
    private readonly bool _json;
    private readonly ArrayBufferWriter<byte> _jsonBuffer = new(1024);
    private readonly Utf8JsonWriter? _jsonWriter;
    private char[] _chars = new char[1024];
    private string _inputName = "<stdin>";
    private FlowLogParser? _parser;
    private FlowLogFormat? _headingFormat;

    public ParseOutputSink(CliConsole console, bool json)
    {
        _console = console;
        _json = json;
        if (json)
        {
            // Relaxed escaping: the output is JSON Lines for tools, never embedded in HTML.
            _jsonWriter = new Utf8JsonWriter(_jsonBuffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }
    }

    public int MalformedCount { get; private set; }

    public void BeginInput(string name, FlowLogParser parser)
    {
        _inputName = name;
        _parser = parser;
    }

    public void OnRecord(in FlowRecord record)
    {
        if (_jsonWriter is not null)
        {
            _jsonBuffer.ResetWrittenCount();
            _jsonWriter.Reset();
            FlowRecordFormatter.WriteJson(_jsonWriter, in record);
            _jsonWriter.Flush();
            var bytes = _jsonBuffer.WrittenSpan;
            if (_chars.Length < bytes.Length) _chars = new char[bytes.Length * 2];
            var count = Encoding.UTF8.GetChars(bytes, _chars);
            _console.Out.Write(_chars.AsSpan(0, count));
            _console.Out.Write('\n');
            return;
        }

        var format = _parser!.Format;
        if (!ReferenceEquals(format, _headingFormat))
        {
            _headingFormat = format;
            _console.Out.Write(AlignedText.Heading(format));
            _console.Out.Write('\n');
        }
        _console.Out.Write(AlignedText.Row(in record, format));
        _console.Out.Write('\n');
    }

    public void OnMalformed(in MalformedLine malformed)
    {
        MalformedCount++;
        var where = malformed.Field is { } field ? $" in field '{FlowFieldInfo.Name(field)}'" : string.Empty;
        var shown = malformed.Reason is MalformedReason.FieldCount or MalformedReason.InvalidJson ? $": \"{malformed.Text}\"" : string.Empty;
        _console.Error.WriteLine($"{_inputName}:{malformed.LineNumber}: {Describe(malformed.Reason)}{where}: {malformed.Message}{shown}");
    }

    public void OnControlMessage()
    {
    }

    public async Task ReportInputErrorAsync(string message)
    {
        MalformedCount++;
        await _console.Error.WriteLineAsync($"{_inputName}: cannot read input: {message}");
    }

    public void Dispose() => _jsonWriter?.Dispose();

    private static string Describe(MalformedReason reason) => reason switch
    {
        MalformedReason.FieldCount => "wrong number of fields",
        MalformedReason.InvalidValue => "invalid value",
        MalformedReason.EmptyLine => "empty line",
        MalformedReason.InvalidText => "invalid text",
        MalformedReason.InvalidBase64 => "invalid base64",
        MalformedReason.InvalidGzip => "invalid gzip",
        MalformedReason.InvalidJson => "invalid JSON",
        MalformedReason.LineTooLong => "line too long",
        _ => reason.ToString(),
    };
}
