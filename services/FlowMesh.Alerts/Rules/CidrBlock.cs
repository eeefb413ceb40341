using System.Globalization;
using FlowMesh.FlowLogs;

namespace FlowMesh.Alerts.Rules;

/// <summary>An IPv4 or IPv6 CIDR block ("10.0.0.0/8", "2600:1f18::/32").</summary>
public readonly record struct CidrBlock(FlowAddress Network, int PrefixLength)
{
    /// <summary>The private ranges a VPC is usually numbered from (RFC 1918, RFC 6598 shared space, IPv6 ULA).</summary>
    public static IReadOnlyList<string> PrivateRanges { get; } = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"];

    public bool Contains(FlowAddress address)
    {
        if (address.Family != Network.Family) return false;
        if (address.IsIPv4)
        {
            if (PrefixLength == 0) return true;
            var mask = uint.MaxValue << (32 - PrefixLength);
            return (address.IPv4Value & mask) == (Network.IPv4Value & mask);
        }
        var (highMask, lowMask) = PrefixLength switch
        {
            0 => (0UL, 0UL),
            <= 64 => (ulong.MaxValue << (64 - PrefixLength), 0UL),
            128 => (ulong.MaxValue, ulong.MaxValue),
            _ => (ulong.MaxValue, ulong.MaxValue << (128 - PrefixLength)),
        };
        return (address.High & highMask) == (Network.High & highMask) && (address.Low & lowMask) == (Network.Low & lowMask);
    }

    public override string ToString() => $"{Network}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses "address/prefix"; a bare address is a /32 or /128.</summary>
    public static bool TryParse(string? text, out CidrBlock block, out string? error)
    {
        block = default;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return false;
        }
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text.Trim() : text[..slash].Trim();
        if (!FlowAddress.TryParse(addressText, out var network) || network.IsAbsent)
        {
            error = $"'{text}' is not an IPv4 or IPv6 CIDR block (e.g. 10.0.0.0/16)";
            return false;
        }
        var max = network.IsIPv4 ? 32 : 128;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max))
        {
            error = $"'{text}' has an invalid prefix length (0-{max.ToString(CultureInfo.InvariantCulture)})";
            return false;
        }
        block = new CidrBlock(network, prefix);
        return true;
    }
}
