using System.Buffers;

namespace FlowMesh.FlowLogs;

/// <summary>
/// Decodes one Firehose record's data (after base64) into flow records, whatever shape it has
/// (spec §2.6, §3.1): gzip'd or plain CloudWatch Logs subscription envelopes, <c>{"message": …}</c>
/// wrappers, or bare text of one or more lines. Buffers are pooled and reused across calls; nothing is
/// allocated per line. Bad input never throws: it is reported to the sink. Reusable, not thread-safe.
/// </summary>
public sealed partial class FlowPayloadDecoder
{
    private const int InitialBufferSize = 64 * 1024;

    /// <summary>Buffers grown beyond this by a large payload go back to the pool after the call.</summary>
    private const int RetainedBufferSize = 4 * 1024 * 1024;

    private readonly FlowLogFormat _defaultFormat;
    private readonly FlowLogParser _parser;
    private byte[] _inflated = [];
    private byte[] _scratch = [];

    public FlowPayloadDecoder(FlowLogFormat defaultFormat, int maxInflatedBytes = 64 * 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(defaultFormat);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInflatedBytes, 1);
        _defaultFormat = defaultFormat;
        _parser = new FlowLogParser(defaultFormat);
        MaxInflatedBytes = maxInflatedBytes;
    }

    /// <summary>A gzip payload that inflates beyond this many bytes is rejected as <see cref="MalformedReason.InvalidGzip"/>.</summary>
    public int MaxInflatedBytes { get; }

    /// <summary>The format lines are parsed with when the payload carries no header.</summary>
    public FlowLogFormat DefaultFormat => _defaultFormat;

    /// <summary>Lines seen in the last payload (blank ones included); line numbers in its reports run from 1 to this.</summary>
    public int LineCount { get; private set; }

    /// <summary>Decodes one record's payload and reports every line, malformed line or control message to <paramref name="sink"/>.</summary>
    public void Decode(ReadOnlySpan<byte> payload, IFlowRecordSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        // Each payload stands alone: a header seen in the previous one does not carry over.
        _parser.Format = _defaultFormat;
        var lineNumber = 0;
        try
        {
            if (payload.Length >= 2 && payload[0] == 0x1F && payload[1] == 0x8B)
            {
                if (!TryInflate(payload, out var length, out var error))
                {
                    sink.OnMalformed(new MalformedLine(MalformedReason.InvalidGzip, 1, null, error,
                        Convert.ToHexString(payload[..Math.Min(payload.Length, 32)])));
                    LineCount = 1;
                    return;
                }
                DecodeInflated(_inflated.AsSpan(0, length), sink, ref lineNumber);
            }
            else
            {
                DecodeInflated(payload, sink, ref lineNumber);
            }
            LineCount = lineNumber;
        }
        finally
        {
            ShrinkBuffers();
        }
    }

    private void DecodeInflated(ReadOnlySpan<byte> data, IFlowRecordSink sink, ref int lineNumber)
    {
        var start = data.IndexOfAnyExcept(" \t\r\n"u8);
        if (start >= 0 && data[start] == (byte)'{')
            DecodeJson(data, sink, ref lineNumber);
        else
            _parser.ParseText(data, sink, ref lineNumber);
    }

    private Span<byte> Scratch(int length)
    {
        if (_scratch.Length < length)
        {
            if (_scratch.Length > 0) ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = ArrayPool<byte>.Shared.Rent(Math.Max(length, 4096));
        }
        return _scratch;
    }

    private void ShrinkBuffers()
    {
        if (_inflated.Length > RetainedBufferSize)
        {
            ArrayPool<byte>.Shared.Return(_inflated);
            _inflated = [];
        }
        if (_scratch.Length > RetainedBufferSize)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = [];
        }
    }
}
