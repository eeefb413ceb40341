using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace FlowMesh.FlowLogs;

/// <summary>
/// An IPv4 or IPv6 address as a 17-byte value (no heap object), so records, grain keys and
/// sketch entries can hold addresses without allocating. <c>default</c> is "absent" ('-').
/// IPv4 addresses keep their own family: <c>10.0.0.1</c> and <c>::ffff:10.0.0.1</c> differ,
/// as they do in flow logs.
/// </summary>
public readonly struct FlowAddress : IEquatable<FlowAddress>, IComparable<FlowAddress>
{
    /// <summary>Most significant 64 bits (network order); 0 for IPv4.</summary>
    public ulong High { get; }

    /// <summary>Least significant 64 bits (network order); the IPv4 value in the low 32 bits.</summary>
    public ulong Low { get; }

    /// <summary>4, 6, or 0 when absent.</summary>
    public byte Family { get; }

    public FlowAddress(ulong high, ulong low, byte family)
    {
        if (family is not (0 or 4 or 6))
            throw new ArgumentOutOfRangeException(nameof(family), family, "Address family must be 0 (absent), 4 or 6.");
        High = family == 6 ? high : 0;
        Low = family == 4 ? (uint)low : family == 6 ? low : 0;
        Family = family;
    }

    public static FlowAddress FromIPv4(uint value) => new(0, value, 4);

    public bool IsAbsent => Family == 0;
    public bool IsIPv4 => Family == 4;
    public bool IsIPv6 => Family == 6;

    /// <summary>The IPv4 value (host order) when <see cref="IsIPv4"/>.</summary>
    public uint IPv4Value => (uint)Low;

    public static FlowAddress FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes));
        }
        address.TryWriteBytes(bytes, out _);
        return new FlowAddress(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), 6);
    }

    public IPAddress ToIPAddress()
    {
        if (Family == 4) return new IPAddress(BinaryPrimitives.ReverseEndianness(IPv4Value));
        if (Family != 6) throw new InvalidOperationException("The address is absent ('-').");
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, High);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], Low);
        return new IPAddress(bytes);
    }

    /// <summary>Parses UTF-8 text of an IPv4 or IPv6 address. '-' is not an address: callers treat it as absent.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out FlowAddress address) => AddressParser.TryParse(utf8, out address);

    public static bool TryParse(string? text, out FlowAddress address)
    {
        address = default;
        if (string.IsNullOrEmpty(text)) return false;
        Span<byte> buffer = stackalloc byte[64];
        if (text.Length > buffer.Length) return false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 127) return false;
            buffer[i] = (byte)text[i];
        }
        return TryParse(buffer[..text.Length], out address);
    }

    public static FlowAddress Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IPv4 or IPv6 address.");

    /// <summary>Canonical text: dotted quad for IPv4, RFC 5952 for IPv6, "-" when absent.</summary>
    public override string ToString() => Family switch
    {
        4 => $"{(IPv4Value >> 24) & 0xFF}.{(IPv4Value >> 16) & 0xFF}.{(IPv4Value >> 8) & 0xFF}.{IPv4Value & 0xFF}",
        6 => ToIPAddress().ToString(),
        _ => "-",
    };

    public bool Equals(FlowAddress other) => High == other.High && Low == other.Low && Family == other.Family;
    public override bool Equals(object? obj) => obj is FlowAddress other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(High, Low, Family);

    public int CompareTo(FlowAddress other)
    {
        var c = Family.CompareTo(other.Family);
        if (c != 0) return c;
        c = High.CompareTo(other.High);
        return c != 0 ? c : Low.CompareTo(other.Low);
    }

    public static bool operator ==(FlowAddress left, FlowAddress right) => left.Equals(right);
    public static bool operator !=(FlowAddress left, FlowAddress right) => !left.Equals(right);
    public static bool operator <(FlowAddress left, FlowAddress right) => left.CompareTo(right) < 0;
    public static bool operator >(FlowAddress left, FlowAddress right) => left.CompareTo(right) > 0;
    public static bool operator <=(FlowAddress left, FlowAddress right) => left.CompareTo(right) <= 0;
    public static bool operator >=(FlowAddress left, FlowAddress right) => left.CompareTo(right) >= 0;
}
