using System.Collections.ObjectModel;
using System.Text;

namespace FlowMesh.FlowLogs;

/// <summary>
/// The ordered fields of a flow log, as given by its <c>LogFormat</c> string (<c>${version} ${srcaddr} …</c>)
/// or by the header line of an S3 text file (<c>version srcaddr …</c>). Immutable; equal when the fields
/// and their order are equal.
/// </summary>
public sealed class FlowLogFormat : IEquatable<FlowLogFormat>
{
    private readonly FlowField[] _fields;
    private string? _formatString;

    private FlowLogFormat(FlowField[] fields)
    {
        _fields = fields;
        Fields = new ReadOnlyCollection<FlowField>(fields);
        var set = FlowFieldSet.Empty;
        var version = 0;
        foreach (var field in fields)
        {
            set = set.With(field);
            version = Math.Max(version, FlowFieldInfo.Version(field));
        }
        FieldSet = set;
        Version = version;
    }

    /// <summary>The default format: the 14 version-2 fields in their fixed order (spec §2.2).</summary>
    public static FlowLogFormat Default { get; } = new(
    [
        FlowField.Version, FlowField.AccountId, FlowField.InterfaceId, FlowField.SrcAddr, FlowField.DstAddr,
        FlowField.SrcPort, FlowField.DstPort, FlowField.Protocol, FlowField.Packets, FlowField.Bytes,
        FlowField.Start, FlowField.End, FlowField.Action, FlowField.LogStatus,
    ]);

    /// <summary>The fields in the order they appear in a record.</summary>
    public IReadOnlyList<FlowField> Fields { get; }

    /// <summary>The same fields as a set.</summary>
    public FlowFieldSet FieldSet { get; }

    /// <summary>The highest version of any field used: what AWS writes in the <c>version</c> field.</summary>
    public int Version { get; }

    /// <summary>The fields as an array the parser indexes without bounds re-checks; never handed out.</summary>
    internal ReadOnlySpan<FlowField> FieldSpan => _fields;

    /// <summary>Creates a format from fields in record order (at least one, no duplicates).</summary>
    public static FlowLogFormat FromFields(IEnumerable<FlowField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var array = fields.ToArray();
        if (array.Length == 0) throw new FlowLogFormatException("A flow-log format needs at least one field.");
        var seen = FlowFieldSet.Empty;
        for (var i = 0; i < array.Length; i++)
        {
            if ((uint)array[i] >= FlowFieldInfo.Count)
                throw new FlowLogFormatException($"field number {(int)array[i]} at position {i + 1} is not a flow-log field.");
            if (seen.Contains(array[i]))
                throw new FlowLogFormatException($"duplicate field '${{{FlowFieldInfo.Name(array[i])}}}' at position {i + 1} of the format.");
            seen = seen.With(array[i]);
        }
        return new FlowLogFormat(array);
    }

    /// <summary>
    /// Parses a <c>LogFormat</c> string: <c>${field-name}</c> tokens separated by spaces.
    /// Throws <see cref="FlowLogFormatException"/> naming the unknown or repeated field and its position.
    /// </summary>
    public static FlowLogFormat Parse(string formatString)
    {
        ArgumentNullException.ThrowIfNull(formatString);
        var tokens = formatString.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
            throw new FlowLogFormatException("The flow-log format is empty; it needs at least one ${field}, e.g. '" + Default.ToFormatString() + "'.");
        var fields = new FlowField[tokens.Length];
        var seen = FlowFieldSet.Empty;
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("${", StringComparison.Ordinal) || !token.EndsWith('}') || token.Length < 4)
                throw new FlowLogFormatException($"'{token}' at position {i + 1} of the format is not written as ${{field-name}}; known fields: {KnownFieldList()}");
            if (!FlowFieldInfo.TryParse(token[2..^1], out var field))
                throw new FlowLogFormatException($"unknown field '{token}' at position {i + 1} of the format; known fields: {KnownFieldList()}");
            if (seen.Contains(field))
                throw new FlowLogFormatException($"duplicate field '{token}' at position {i + 1} of the format; each field may appear once.");
            seen = seen.With(field);
            fields[i] = field;
        }
        return fields.AsSpan().SequenceEqual(Default._fields) ? Default : new FlowLogFormat(fields);
    }

    /// <summary>
    /// Recognises the header line of an S3 text file: known field names, space separated, no repeats
    /// (spec §2.5). A token may also be written <c>${name}</c>, so a file that starts with the format
    /// string it was created with reads the same. Allocates only when the line is a header.
    /// </summary>
    public static bool TryParseHeader(ReadOnlySpan<byte> line, out FlowLogFormat? format)
    {
        format = null;
        line = line.Trim(" \t\r\n"u8);
        if (line.IsEmpty) return false;
        Span<FlowField> fields = stackalloc FlowField[FlowFieldInfo.Count];
        var count = 0;
        var seen = FlowFieldSet.Empty;
        foreach (var range in line.Split((byte)' '))
        {
            var token = line[range];
            if (token.IsEmpty) continue;
            if (token.Length > 3 && token[0] == (byte)'$' && token[1] == (byte)'{' && token[^1] == (byte)'}')
                token = token[2..^1];
            if (count == fields.Length || !FlowFieldInfo.TryParse(token, out var field) || seen.Contains(field)) return false;
            seen = seen.With(field);
            fields[count++] = field;
        }
        if (count == 0) return false;
        format = fields[..count].SequenceEqual(Default._fields) ? Default : new FlowLogFormat(fields[..count].ToArray());
        return true;
    }

    /// <summary>The <c>LogFormat</c> string: <c>${version} ${account-id} …</c>.</summary>
    public string ToFormatString() => _formatString ??= Join(static (sb, name) => sb.Append("${").Append(name).Append('}'));

    /// <summary>The header line an S3 text file starts with: <c>version account-id …</c>.</summary>
    public string ToHeaderLine() => Join(static (sb, name) => sb.Append(name));

    public override string ToString() => ToFormatString();

    public bool Equals(FlowLogFormat? other) =>
        other is not null && (ReferenceEquals(this, other) || _fields.AsSpan().SequenceEqual(other._fields));

    public override bool Equals(object? obj) => Equals(obj as FlowLogFormat);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var field in _fields) hash.Add(field);
        return hash.ToHashCode();
    }

    public static bool operator ==(FlowLogFormat? left, FlowLogFormat? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(FlowLogFormat? left, FlowLogFormat? right) => !(left == right);

    private string Join(Action<StringBuilder, string> append)
    {
        var sb = new StringBuilder(_fields.Length * 12);
        for (var i = 0; i < _fields.Length; i++)
        {
            if (i > 0) sb.Append(' ');
            append(sb, FlowFieldInfo.Name(_fields[i]));
        }
        return sb.ToString();
    }

    private static string KnownFieldList() => string.Join(", ", FlowFieldInfo.All.Select(FlowFieldInfo.Name));
}
