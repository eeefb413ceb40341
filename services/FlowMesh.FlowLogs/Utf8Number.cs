namespace FlowMesh.FlowLogs;

/// <summary>Decimal parsing straight from UTF-8 bytes: digits only, no sign or spaces unless stated, no allocation.</summary>
internal static class Utf8Number
{
    /// <summary>A non-negative integer no greater than <paramref name="max"/> (ports, protocol, flags, version).</summary>
    public static bool TryParseBounded(ReadOnlySpan<byte> s, int max, out int value)
    {
        value = 0;
        // Ten digits could overflow int; no bounded field needs that many.
        if (s.IsEmpty || s.Length > 9) return false;
        var v = 0;
        foreach (var b in s)
        {
            var d = (uint)(b - '0');
            if (d > 9) return false;
            v = v * 10 + (int)d;
        }
        if (v > max) return false;
        value = v;
        return true;
    }

    /// <summary>A non-negative 64-bit integer (packets, bytes).</summary>
    public static bool TryParseNonNegative(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 19) return false;
        ulong v = 0;
        foreach (var b in s)
        {
            var d = (uint)(b - '0');
            if (d > 9) return false;
            v = v * 10 + d;
        }
        // 19 digits fit in a ulong; anything above long.MaxValue is out of range.
        if (v > long.MaxValue) return false;
        value = (long)v;
        return true;
    }

    /// <summary>A 64-bit integer with an optional leading '-' (start, end).</summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> s, out long value)
    {
        if (!s.IsEmpty && s[0] == (byte)'-')
        {
            var ok = TryParseNonNegative(s[1..], out var magnitude);
            value = -magnitude;
            return ok;
        }
        return TryParseNonNegative(s, out value);
    }
}
