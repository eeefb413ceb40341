namespace FlowMesh.FlowLogs;

/// <summary>Why a line or payload was rejected. Stable codes: metrics and the query API label them with <see cref="MalformedReasonLabels.Label"/>.</summary>
public enum MalformedReason : byte
{
    /// <summary>Number of fields differs from the format.</summary>
    FieldCount = 1,
    /// <summary>A field value is not valid for its field (bad number, address, enum value...).</summary>
    InvalidValue,
    /// <summary>The line is empty or only whitespace where a record was expected.</summary>
    EmptyLine,
    /// <summary>The line is not valid UTF-8 text or has control characters.</summary>
    InvalidText,
    /// <summary>A Firehose record's data is not valid base64.</summary>
    InvalidBase64,
    /// <summary>A gzip payload could not be inflated, or inflated beyond the limit.</summary>
    InvalidGzip,
    /// <summary>A JSON wrapper or CloudWatch Logs envelope is not valid JSON of the expected shape.</summary>
    InvalidJson,
    /// <summary>The line is longer than the parser accepts.</summary>
    LineTooLong,
}

/// <summary>
/// A rejected line with a precise reason: where (line number within its payload, field), what was
/// wrong, and the offending text truncated to <see cref="MaxTextLength"/> characters.
/// </summary>
public readonly record struct MalformedLine(
    MalformedReason Reason,
    int LineNumber,
    FlowField? Field,
    string Message,
    string Text)
{
    public const int MaxTextLength = 256;

    public override string ToString() =>
        Field is { } f
            ? $"line {LineNumber}: {Reason} in field '{FlowFieldInfo.Name(f)}': {Message} (text: \"{Text}\")"
            : $"line {LineNumber}: {Reason}: {Message} (text: \"{Text}\")";
}

/// <summary>The one snake_case label of each <see cref="MalformedReason"/>, shared by metrics and the query API.</summary>
public static class MalformedReasonLabels
{
    public static string Label(this MalformedReason reason) => reason switch
    {
        MalformedReason.FieldCount => "field_count",
        MalformedReason.InvalidValue => "invalid_value",
        MalformedReason.EmptyLine => "empty_line",
        MalformedReason.InvalidText => "invalid_text",
        MalformedReason.InvalidBase64 => "invalid_base64",
        MalformedReason.InvalidGzip => "invalid_gzip",
        MalformedReason.InvalidJson => "invalid_json",
        MalformedReason.LineTooLong => "line_too_long",
        _ => "unknown",
    };
}
