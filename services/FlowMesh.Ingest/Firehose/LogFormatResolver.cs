using System.Collections.Concurrent;
using System.Text.Json;
using FlowMesh.FlowLogs;
using Microsoft.Extensions.Options;

namespace FlowMesh.Ingest.Firehose;

/// <summary>
/// Picks the flow-log format of a delivery: the <c>flowmesh-log-format</c> common attribute if
/// the stream sends one, else the format configured for its source ARN (or stream name), else
/// the default v2 format. Configured formats are parsed once at start; attribute formats are
/// parsed once per distinct text.
/// </summary>
internal sealed class LogFormatResolver
{
    private const string StreamMarker = "deliverystream/";

    // Attribute values come from the wire: cap how many distinct ones are cached.
    private const int MaxCachedAttributeFormats = 64;

    private readonly Dictionary<string, FlowLogFormat> _configured;
    private readonly ConcurrentDictionary<string, FlowLogFormat> _fromAttributes = new(StringComparer.Ordinal);

    public LogFormatResolver(IOptions<IngestOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _configured = options.Value.LogFormats.ToDictionary(
            entry => entry.Key,
            entry => FlowLogFormat.Parse(entry.Value),
            StringComparer.Ordinal);
    }

    /// <summary>The format for a delivery; throws <see cref="FirehoseRejection"/> (400) for an invalid attribute.</summary>
    public FlowLogFormat Resolve(string? sourceArn, string? commonAttributesHeader)
    {
        var attribute = FindFormatAttribute(commonAttributesHeader);
        if (attribute is not null)
            return FromAttribute(attribute);
        if (string.IsNullOrEmpty(sourceArn) || _configured.Count == 0)
            return FlowLogFormat.Default;
        if (_configured.TryGetValue(sourceArn, out var byArn))
            return byArn;
        var marker = sourceArn.LastIndexOf(StreamMarker, StringComparison.Ordinal);
        return marker >= 0 && _configured.TryGetValue(sourceArn[(marker + StreamMarker.Length)..], out var byName)
            ? byName
            : FlowLogFormat.Default;
    }

    private FlowLogFormat FromAttribute(string text)
    {
        if (_fromAttributes.TryGetValue(text, out var cached))
            return cached;
        FlowLogFormat format;
        try
        {
            format = FlowLogFormat.Parse(text);
        }
        catch (FlowLogFormatException e)
        {
            throw new FirehoseRejection($"The common attribute '{FirehoseHeaders.LogFormatAttribute}' is not a valid flow-log format: {e.Message}");
        }
        if (_fromAttributes.Count < MaxCachedAttributeFormats)
            _fromAttributes.TryAdd(text, format);
        return format;
    }

    /// <summary>Reads <c>{"commonAttributes":{"flowmesh-log-format": "..."}}</c>; null when absent.</summary>
    private static string? FindFormatAttribute(string? header)
    {
        if (string.IsNullOrEmpty(header))
            return null;
        try
        {
            using var document = JsonDocument.Parse(header);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("commonAttributes", out var attributes)
                && attributes.ValueKind == JsonValueKind.Object
                && attributes.TryGetProperty(FirehoseHeaders.LogFormatAttribute, out var format)
                && format.ValueKind == JsonValueKind.String
                    ? format.GetString()
                    : null;
        }
        catch (JsonException e)
        {
            throw new FirehoseRejection($"The {FirehoseHeaders.CommonAttributes} header is not valid JSON: {e.Message}");
        }
    }
}
