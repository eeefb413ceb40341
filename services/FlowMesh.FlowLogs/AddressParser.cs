using System.Net;

namespace FlowMesh.FlowLogs;

/// <summary>Span parsing of IPv4 (hand-written, no allocation) and IPv6 addresses.</summary>
internal static class AddressParser
{
    public static bool TryParse(ReadOnlySpan<byte> s, out FlowAddress address)
    {
        address = default;
        if (s.IsEmpty || s.Length > 45) return false;
        if (s.IndexOf((byte)':') < 0)
        {
            if (!TryParseIPv4(s, out var v4)) return false;
            address = FlowAddress.FromIPv4(v4);
            return true;
        }
        return TryParseIPv6(s, out address);
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

    // TODO(issue 2): replace with a hand-written parser; IPAddress.TryParse allocates one object per address.
    private static bool TryParseIPv6(ReadOnlySpan<byte> s, out FlowAddress address)
    {
        address = default;
        if (!IPAddress.TryParse(s, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || ip.ScopeId != 0)
            return false;
        address = FlowAddress.FromIPAddress(ip);
        return true;
    }
}
