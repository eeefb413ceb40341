using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation;

/// <summary>
/// The identity of one contributor in any dimension, as a value type so summaries hold keys
/// without allocating: addresses use <see cref="Address"/> (and <see cref="Peer"/> for pairs),
/// ports and protocols use <see cref="Number"/>, interfaces use <see cref="Text"/> (an interned id).
/// Ordered (address, peer, number, then text by ordinal) so that ties in a top-N list rank the same
/// way in every process; string hash codes are randomised per process and cannot do that.
/// </summary>
public readonly record struct ContributorKey(FlowAddress Address, FlowAddress Peer, int Number, string? Text)
    : IComparable<ContributorKey>
{
    public int CompareTo(ContributorKey other)
    {
        var c = Address.CompareTo(other.Address);
        if (c != 0) return c;
        c = Peer.CompareTo(other.Peer);
        if (c != 0) return c;
        c = Number.CompareTo(other.Number);
        return c != 0 ? c : string.CompareOrdinal(Text, other.Text);
    }

    public static bool operator <(ContributorKey left, ContributorKey right) => left.CompareTo(right) < 0;
    public static bool operator >(ContributorKey left, ContributorKey right) => left.CompareTo(right) > 0;
    public static bool operator <=(ContributorKey left, ContributorKey right) => left.CompareTo(right) <= 0;
    public static bool operator >=(ContributorKey left, ContributorKey right) => left.CompareTo(right) >= 0;

    public static ContributorKey ForAddress(FlowAddress address) => new(address, default, 0, null);

    public static ContributorKey ForPair(FlowAddress source, FlowAddress destination) => new(source, destination, 0, null);

    public static ContributorKey ForNumber(int number) => new(default, default, number, null);

    public static ContributorKey ForText(string text) => new(default, default, 0, text);

    /// <summary>Human-readable form for the given dimension.</summary>
    public string Format(Dimension dimension) => dimension switch
    {
        Dimension.AddressPair => $"{Address} -> {Peer}",
        Dimension.DestinationPort => Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Dimension.Protocol => ProtocolNames.Format(Number),
        Dimension.Interface => Text ?? "-",
        _ => Address.ToString(),
    };
}

/// <summary>IANA protocol numbers as flow-log users know them.</summary>
public static class ProtocolNames
{
    public static string Format(int protocol) => protocol switch
    {
        1 => "icmp",
        6 => "tcp",
        17 => "udp",
        47 => "gre",
        50 => "esp",
        58 => "icmpv6",
        _ => protocol.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static bool TryParse(string text, out int protocol)
    {
        protocol = text.Trim().ToLowerInvariant() switch
        {
            "icmp" => 1,
            "tcp" => 6,
            "udp" => 17,
            "gre" => 47,
            "esp" => 50,
            "icmpv6" => 58,
            var other => int.TryParse(other, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 255 ? n : -1,
        };
        return protocol >= 0;
    }
}
