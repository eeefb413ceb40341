using System.Net;
using System.Text;

namespace FlowMesh.FlowLogs.Tests;

/// <summary>The hand-written IPv6 parser against System.Net.IPAddress, over every textual form.</summary>
public sealed class AddressParserTests
{
    private static bool Parse(string text, out FlowAddress address) => FlowAddress.TryParse(Encoding.ASCII.GetBytes(text), out address);

    [Theory]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("1::", "1::")]
    [InlineData("2001:DB8::1", "2001:db8::1")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8")]
    [InlineData("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0")]
    [InlineData("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8")]
    [InlineData("::ffff:192.0.2.1", "::ffff:192.0.2.1")]
    [InlineData("64:ff9b::198.51.100.7", "64:ff9b::c633:6407")]
    [InlineData("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304")]
    public void TryParse_ValidIPv6_MatchesIPAddressAndItsCanonicalText(string text, string canonical)
    {
        Assert.True(Parse(text, out var address));

        Assert.Equal(FlowAddress.FromIPAddress(IPAddress.Parse(text)), address);
        Assert.Equal(canonical, address.ToString());
        Assert.Equal(IPAddress.Parse(text).ToString(), address.ToString());
        Assert.True(address.IsIPv6);
    }

    [Theory]
    [InlineData(":")]
    [InlineData(":::")]
    [InlineData(":1::2")]
    [InlineData("1::2:")]
    [InlineData("1:2")]
    [InlineData("1::2::3")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("::1:2:3:4:5:6:7:8")]
    [InlineData("12345::1")]
    [InlineData("g::1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%2")]
    [InlineData("[::1]")]
    [InlineData("[::1]:80")]
    [InlineData("::1.2.3")]
    [InlineData("::1.2.3.256")]
    [InlineData("1:2:3:4:5:6:7:1.2.3.4")]
    [InlineData("::1.2.3.4:5")]
    [InlineData("1.2.3.4::")]
    [InlineData(" ::1")]
    [InlineData("::1 ")]
    public void TryParse_InvalidIPv6_IsRejected(string text)
    {
        Assert.False(Parse(text, out var address));
        Assert.True(address.IsAbsent);
    }

    [Theory]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("255.255.255.255", 0xFFFFFFFFu)]
    [InlineData("10.0.1.15", 0x0A00010Fu)]
    public void TryParse_IPv4_ReadsValue(string text, uint value)
    {
        Assert.True(Parse(text, out var address));
        Assert.Equal(value, address.IPv4Value);
        Assert.Equal(text, address.ToString());
    }

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("01.1.1.1")]
    [InlineData("1..1.1")]
    [InlineData("-")]
    [InlineData("")]
    public void TryParse_InvalidIPv4_IsRejected(string text) => Assert.False(Parse(text, out _));

    [Fact]
    public void TryParse_RandomAddressesInEveryTextualForm_MatchIPAddress()
    {
        var random = new Random(4291);
        var checkedForms = 0;
        for (var n = 0; n < 5000; n++)
        {
            var groups = RandomGroups(random);
            var expected = new IPAddress(groups.SelectMany(g => new[] { (byte)(g >> 8), (byte)g }).ToArray());
            foreach (var text in TextForms(groups, random))
            {
                Assert.True(Parse(text, out var address), text);
                Assert.Equal(FlowAddress.FromIPAddress(expected), address);
                Assert.Equal(FlowAddress.FromIPAddress(IPAddress.Parse(text)), address);
                Assert.Equal(expected.ToString(), address.ToString());
                checkedForms++;
            }
        }
        Assert.True(checkedForms > 25000, $"only {checkedForms} forms checked");
    }

    /// <summary>Eight groups with runs of zeros (so '::' has something to compress) and mapped/compatible prefixes.</summary>
    private static ushort[] RandomGroups(Random random)
    {
        var groups = new ushort[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = random.Next(4) switch
            {
                0 => 0,
                1 => (ushort)random.Next(0x10),
                2 => (ushort)random.Next(0x1000),
                _ => (ushort)random.Next(0x10000),
            };
        }
        if (random.Next(5) == 0) Array.Clear(groups, random.Next(8), 0);
        switch (random.Next(8))
        {
            case 0: // IPv4-mapped
                Array.Clear(groups, 0, 5);
                groups[5] = 0xFFFF;
                break;
            case 1: // long zero run
                var start = random.Next(8);
                Array.Clear(groups, start, random.Next(8 - start + 1));
                break;
        }
        return groups;
    }

    private static IEnumerable<string> TextForms(ushort[] groups, Random random)
    {
        string Hex(ushort g, bool pad) => pad ? g.ToString("x4", null) : g.ToString("x", null);
        string Upper(string s) => random.Next(2) == 0 ? s.ToUpperInvariant() : s;

        yield return string.Join(':', groups.Select(g => Hex(g, true)));
        yield return Upper(string.Join(':', groups.Select(g => Hex(g, false))));
        yield return Upper(string.Join(':', groups.Select(g => Hex(g, random.Next(2) == 0))));

        // '::' over every run of zero groups (the longest is the canonical choice; any is valid).
        for (var start = 0; start < 8; start++)
        {
            if (groups[start] != 0 || (start > 0 && groups[start - 1] == 0)) continue;
            var end = start;
            while (end < 8 && groups[end] == 0) end++;
            for (var stop = start + 1; stop <= end; stop++)
            {
                var head = string.Join(':', groups.Take(start).Select(g => Hex(g, false)));
                var tail = string.Join(':', groups.Skip(stop).Select(g => Hex(g, random.Next(3) == 0)));
                yield return Upper(head + "::" + tail);
            }
        }

        // Embedded IPv4 suffix in place of the last two groups, with and without compression.
        var v4 = $"{groups[6] >> 8}.{groups[6] & 0xFF}.{groups[7] >> 8}.{groups[7] & 0xFF}";
        yield return string.Join(':', groups.Take(6).Select(g => Hex(g, false))) + ":" + v4;
        var zeroStart = Array.IndexOf(groups, (ushort)0);
        if (zeroStart is >= 0 and < 6)
        {
            var zeroEnd = zeroStart;
            while (zeroEnd < 6 && groups[zeroEnd] == 0) zeroEnd++;
            var head = string.Join(':', groups.Take(zeroStart).Select(g => Hex(g, false)));
            var middle = string.Join(':', groups.Skip(zeroEnd).Take(6 - zeroEnd).Select(g => Hex(g, false)));
            yield return head + "::" + middle + (middle.Length > 0 ? ":" : "") + v4;
        }
    }
}
