using System.Globalization;

namespace FlowMesh.Cli.Commands;

/// <summary>Reads sizes such as <c>1MiB</c>, <c>512KiB</c>, <c>4MB</c> or a plain number of bytes.</summary>
internal static class ByteSize
{
    private static readonly (string Unit, long Bytes)[] Units =
    [
        ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10),
        ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("K", 1L << 10), ("M", 1L << 20), ("B", 1),
    ];

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming <paramref name="option"/> and what is accepted.</summary>
    public static long Parse(string text, string option, long min, long max)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var multiplier = 1L;
        foreach (var (unit, bytes) in Units)
        {
            if (!trimmed.EndsWith(unit, StringComparison.OrdinalIgnoreCase)) continue;
            multiplier = bytes;
            trimmed = trimmed[..^unit.Length].TrimEnd();
            break;
        }
        if (!decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number <= 0)
            throw new FormatException($"{option}: '{text}' is not a size; use a number of bytes or a unit such as 512KiB, 1MiB or 4MB");
        var value = number * multiplier;
        if (value < min || value > max)
            throw new FormatException($"{option}: {text} is outside {Format(min)}..{Format(max)}");
        return (long)value;
    }

    /// <summary>Human-readable size in binary units.</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30}GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20}MiB",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10}KiB",
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0}MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.0}KiB"),
        _ => $"{bytes}B",
    };
}
