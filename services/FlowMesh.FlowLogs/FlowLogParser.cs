using System.Text;

namespace FlowMesh.FlowLogs;

/// <summary>
/// Parses space-separated flow-log lines of one <see cref="Format"/> straight from UTF-8 bytes into
/// <see cref="FlowRecord"/>s: numbers and addresses by hand, ids through a bounded interner, so a line
/// of the default format costs no allocation. Bad input never throws; it becomes a
/// <see cref="MalformedLine"/> that says where and why. Reusable, not thread-safe.
/// </summary>
public sealed partial class FlowLogParser
{
    /// <summary>Longer lines are rejected unread: 40 fields of ARNs stay far below this.</summary>
    public const int MaxLineLength = 16 * 1024;

    public FlowLogParser(FlowLogFormat format, Utf8StringInterner? interner = null)
    {
        ArgumentNullException.ThrowIfNull(format);
        Format = format;
        Interner = interner ?? new Utf8StringInterner();
    }

    /// <summary>
    /// The format lines are read with. <see cref="ParseText"/> replaces it when it meets a header line,
    /// for the rest of that text and later calls, as an S3 file's header governs the whole file.
    /// </summary>
    public FlowLogFormat Format { get; set; }

    /// <summary>Where string fields get their shared instances.</summary>
    public Utf8StringInterner Interner { get; }

    /// <summary>
    /// Parses one line (without its newline; surrounding spaces, tabs and '\r' are ignored).
    /// Returns false with <paramref name="malformed"/> filled when the line is not a valid record.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> line, int lineNumber, out FlowRecord record, out MalformedLine malformed)
    {
        record = default;
        malformed = default;
        var trimmed = line.Trim(" \t\r"u8);
        if (trimmed.IsEmpty)
        {
            malformed = Malformed(MalformedReason.EmptyLine, lineNumber, null, "the line is empty", line);
            return false;
        }
        if (trimmed.Length > MaxLineLength)
        {
            malformed = Malformed(MalformedReason.LineTooLong, lineNumber, null,
                $"the line is {trimmed.Length} bytes long; at most {MaxLineLength} are accepted", trimmed);
            return false;
        }

        var fields = Format.FieldSpan;
        // One pass finds every separator; the count decides a field-count error before any value is read.
        Span<int> spaces = stackalloc int[FlowFieldInfo.Count];
        var found = LineTokenizer.FindSpaces(trimmed, spaces) + 1;
        if (found != fields.Length)
        {
            malformed = Malformed(MalformedReason.FieldCount, lineNumber, null,
                $"expected {fields.Length} fields (format {Format.ToFormatString()}), found {found}", trimmed);
            return false;
        }

        ulong present = 0;
        var start = 0;
        for (var i = 0; i < fields.Length; i++)
        {
            var end = i < fields.Length - 1 ? spaces[i] : trimmed.Length;
            var value = trimmed[start..end];
            start = end + 1;
            // '-' means "does not apply / could not be computed" for every field (spec §2.1).
            if (value.Length == 1 && value[0] == (byte)'-') continue;

            var field = fields[i];
            var error = ParseValue(field, value, ref record);
            if (error != ValueError.None)
            {
                malformed = Malformed(error == ValueError.Text ? MalformedReason.InvalidText : MalformedReason.InvalidValue,
                    lineNumber, field, DescribeError(field, error, value), trimmed);
                record = default;
                return false;
            }
            present |= 1UL << (int)field;
        }
        record.Present = new FlowFieldSet(present);
        return true;
    }

    /// <summary>
    /// Parses text of one or more lines separated by '\n' or "\r\n". Blank lines are skipped (but counted,
    /// so line numbers match an editor's); a header line (field names, spec §2.5) switches
    /// <see cref="Format"/> and is neither a record nor an error. <paramref name="lineNumber"/> is the
    /// number of the line before the text and is advanced past it.
    /// </summary>
    public void ParseText(ReadOnlySpan<byte> text, IFlowRecordSink sink, ref int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(sink);
        while (!text.IsEmpty)
        {
            ReadOnlySpan<byte> line;
            var newline = text.IndexOf((byte)'\n');
            if (newline < 0)
            {
                line = text;
                text = default;
            }
            else
            {
                line = text[..newline];
                text = text[(newline + 1)..];
            }
            lineNumber++;

            var trimmed = line.Trim(" \t\r"u8);
            if (trimmed.IsEmpty) continue;
            if (!StartsWithNumber(trimmed) && FlowLogFormat.TryParseHeader(trimmed, out var header))
            {
                Format = header!;
                continue;
            }
            if (TryParse(trimmed, lineNumber, out var record, out var malformed))
                sink.OnRecord(in record);
            else
                sink.OnMalformed(in malformed);
        }
    }

    /// <summary>True when the first token is all digits: a record, never a header (no field name is numeric).</summary>
    private static bool StartsWithNumber(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b == (byte)' ') return true;
            if ((uint)(b - '0') > 9) return false;
        }
        return true;
    }

    internal static MalformedLine Malformed(MalformedReason reason, int lineNumber, FlowField? field, string message, ReadOnlySpan<byte> line) =>
        new(reason, lineNumber, field, message, ShowText(line, MalformedLine.MaxTextLength));

    /// <summary>Decodes at most <paramref name="maxChars"/> characters of possibly invalid UTF-8 for display.</summary>
    internal static string ShowText(ReadOnlySpan<byte> utf8, int maxChars)
    {
        var head = utf8[..Math.Min(utf8.Length, maxChars * 3)];
        var text = Encoding.UTF8.GetString(head);
        if (text.Length <= maxChars) return text;
        var cut = char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars;
        return text[..cut];
    }
}
