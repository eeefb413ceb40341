namespace FlowMesh.FlowLogs;

/// <summary>Hand-written, allocation-free span parsing of IPv4 and IPv6 address text.</summary>
internal static class AddressParser
{
    public static bool TryParse(ReadOnlySpan<byte> s, out FlowAddress address)
    {
        address = default;
        if (s.IsEmpty || s.Length > 45) return false;
        // IPv4 is the common case and fails fast on the first ':' or hex letter of an IPv6 address.
        if (TryParseIPv4(s, out var v4))
        {
            address = FlowAddress.FromIPv4(v4);
            return true;
        }
        if (!TryParseIPv6(s, out var high, out var low)) return false;
        address = new FlowAddress(high, low, 6);
        return true;
    }

    public static bool TryParseIPv4(ReadOnlySpan<byte> s, out uint value)
    {
        value = 0;
        uint octet = 0;
        int digits = 0, dots = 0;
        foreach (var b in s)
        {
            if (b == (byte)'.')
            {
                if (digits == 0 || dots == 3) return false;
                value = (value << 8) | octet;
                octet = 0; digits = 0; dots++;
                continue;
            }
            var d = (uint)(b - '0');
            if (d > 9) return false;
            // A leading zero would make "010" ambiguous (octal in some parsers): AWS never writes one.
            if (digits > 0 && octet == 0) return false;
            octet = octet * 10 + d;
            if (octet > 255 || ++digits > 3) return false;
        }
        if (digits == 0 || dots != 3) return false;
        value = (value << 8) | octet;
        return true;
    }

    /// <summary>
    /// RFC 4291 §2.2 text: eight groups of 1–4 hex digits, one <c>::</c> for one or more zero groups, an
    /// optional dotted-quad IPv4 suffix in place of the last two groups. Zone ids (<c>%eth0</c>) and
    /// brackets are not addresses in a flow log and are rejected.
    /// </summary>
    public static bool TryParseIPv6(ReadOnlySpan<byte> s, out ulong high, out ulong low)
    {
        high = low = 0;
        Span<ushort> groups = stackalloc ushort[8];
        int count = 0, gap = -1, i = 0;
        if (s.Length < 2) return false;
        if (s[0] == (byte)':')
        {
            if (s[1] != (byte)':') return false;
            gap = 0;
            i = 2;
        }

        while (i < s.Length)
        {
            var start = i;
            uint value = 0;
            while (i < s.Length && HexValue(s[i]) is var h && h < 16)
            {
                value = (value << 4) | h;
                i++;
            }
            var digits = i - start;
            if (i < s.Length && s[i] == (byte)'.')
            {
                // Embedded IPv4: the rest of the text, taking the place of two groups.
                if (count > 6 || !TryParseIPv4(s[start..], out var v4)) return false;
                groups[count++] = (ushort)(v4 >> 16);
                groups[count++] = (ushort)v4;
                i = s.Length;
                break;
            }
            if (digits is 0 or > 4 || count == 8) return false;
            groups[count++] = (ushort)value;
            if (i == s.Length) break;
            if (s[i] != (byte)':') return false;
            i++;
            if (i < s.Length && s[i] == (byte)':')
            {
                if (gap >= 0) return false;
                gap = count;
                i++;
            }
            else if (i == s.Length)
            {
                return false; // a single trailing ':'
            }
        }

        if (gap >= 0)
        {
            if (count > 7) return false;
            var tail = count - gap;
            groups.Slice(gap, tail).CopyTo(groups[(8 - tail)..]);
            groups.Slice(gap, 8 - count).Clear();
        }
        else if (count != 8)
        {
            return false;
        }

        for (var g = 0; g < 4; g++)
        {
            high = (high << 16) | groups[g];
            low = (low << 16) | groups[g + 4];
        }
        return true;
    }

    private static uint HexValue(byte b)
    {
        var d = (uint)(b - '0');
        if (d <= 9) return d;
        var l = (uint)((b | 0x20) - 'a');
        return l <= 5 ? l + 10 : 16;
    }
}
