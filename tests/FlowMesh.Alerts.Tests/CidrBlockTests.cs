using System.Net;
using FlowMesh.Alerts.Rules;
using FlowMesh.FlowLogs;

namespace FlowMesh.Alerts.Tests;

public sealed class CidrBlockTests
{
    [Theory]
    // IPv4 /0 holds every IPv4 address and no IPv6 one.
    [InlineData("0.0.0.0/0", "0.0.0.0", true)]
    [InlineData("0.0.0.0/0", "255.255.255.255", true)]
    [InlineData("0.0.0.0/0", "::", false)]
    [InlineData("0.0.0.0/0", "::ffff:10.0.0.1", false)]
    // /8 edges.
    [InlineData("10.0.0.0/8", "9.255.255.255", false)]
    [InlineData("10.0.0.0/8", "10.0.0.0", true)]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    // /12 edges: 172.16.0.0 - 172.31.255.255.
    [InlineData("172.16.0.0/12", "172.15.255.255", false)]
    [InlineData("172.16.0.0/12", "172.16.0.0", true)]
    [InlineData("172.16.0.0/12", "172.31.255.255", true)]
    [InlineData("172.16.0.0/12", "172.32.0.0", false)]
    // RFC 6598 shared space /10: 100.64.0.0 - 100.127.255.255.
    [InlineData("100.64.0.0/10", "100.63.255.255", false)]
    [InlineData("100.64.0.0/10", "100.127.255.255", true)]
    [InlineData("100.64.0.0/10", "100.128.0.0", false)]
    // /32 and a bare address (a /32).
    [InlineData("192.0.2.7/32", "192.0.2.7", true)]
    [InlineData("192.0.2.7/32", "192.0.2.6", false)]
    [InlineData("192.0.2.7/32", "192.0.2.8", false)]
    [InlineData("192.0.2.7", "192.0.2.7", true)]
    [InlineData("192.0.2.7", "192.0.2.70", false)]
    // Host bits in the network are ignored.
    [InlineData("10.1.2.3/8", "10.200.0.1", true)]
    [InlineData("10.1.2.3/8", "11.1.2.3", false)]
    // IPv6 /7 (unique local addresses).
    [InlineData("fc00::/7", "fd12::1", true)]
    [InlineData("fc00::/7", "fc00::", true)]
    [InlineData("fc00::/7", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("fc00::/7", "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false)]
    [InlineData("fc00::/7", "fe80::1", false)]
    [InlineData("fc00::/7", "10.0.0.1", false)]
    // /63, /64 and /65: either side of the split between the two 64-bit halves.
    [InlineData("2001:db8:0:2::/63", "2001:db8:0:3:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:0:2::/63", "2001:db8:0:4::", false)]
    [InlineData("2001:db8:0:2::/63", "2001:db8:0:1:ffff:ffff:ffff:ffff", false)]
    [InlineData("2600:1f18:aaaa:bbbb::/64", "2600:1f18:aaaa:bbbb::", true)]
    [InlineData("2600:1f18:aaaa:bbbb::/64", "2600:1f18:aaaa:bbbb:ffff:ffff:ffff:ffff", true)]
    [InlineData("2600:1f18:aaaa:bbbb::/64", "2600:1f18:aaaa:bbbc::", false)]
    [InlineData("2600:1f18:aaaa:bbbb::/64", "2600:1f18:aaaa:bbba:ffff:ffff:ffff:ffff", false)]
    [InlineData("2001:db8::/65", "2001:db8::7fff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8::/65", "2001:db8::8000:0:0:0", false)]
    // /127 and /128.
    [InlineData("2001:db8::/127", "2001:db8::", true)]
    [InlineData("2001:db8::/127", "2001:db8::1", true)]
    [InlineData("2001:db8::/127", "2001:db8::2", false)]
    [InlineData("2001:db8::4/127", "2001:db8::5", true)]
    [InlineData("2001:db8::4/127", "2001:db8::3", false)]
    [InlineData("2001:db8::4/127", "2001:db8::6", false)]
    [InlineData("2001:db8::1/128", "2001:db8::1", true)]
    [InlineData("2001:db8::1/128", "2001:db8::", false)]
    [InlineData("2001:db8::1", "2001:db8::1", true)]
    // IPv6 /0 holds every IPv6 address and no IPv4 one; an IPv4-mapped address is IPv6.
    [InlineData("::/0", "fe80::1", true)]
    [InlineData("::/0", "10.0.0.1", false)]
    [InlineData("10.0.0.0/8", "::ffff:10.0.0.1", false)]
    [InlineData("::ffff:10.0.0.0/104", "::ffff:10.0.0.1", true)]
    public void Contains_Boundaries(string cidr, string address, bool expected)
    {
        Assert.True(CidrBlock.TryParse(cidr, out var block, out var error), error);
        Assert.Null(error);
        Assert.Equal(expected, block.Contains(FlowAddress.Parse(address)));
    }

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("10.0.0.0/8")]
    [InlineData("::/0")]
    [InlineData("fc00::/7")]
    public void Contains_AbsentAddress_IsFalse(string cidr)
    {
        Assert.True(CidrBlock.TryParse(cidr, out var block, out _));
        Assert.False(block.Contains(default));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("192.0.2.7", "192.0.2.7/32")]
    [InlineData("2600:1f18::/32", "2600:1f18::/32")]
    [InlineData("fd12::1", "fd12::1/128")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData(" 10.0.0.0/16", "10.0.0.0/16")]
    public void TryParse_Valid_PrefixAndText(string text, string expected)
    {
        Assert.True(CidrBlock.TryParse(text, out var block, out var error), error);
        Assert.Equal(expected, block.ToString());
    }

    [Theory]
    [InlineData("10.0.0.256/8")]
    [InlineData("10.0.0/8")]
    [InlineData("not-a-cidr")]
    [InlineData("-/8")]
    [InlineData("/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/128")]
    [InlineData("fc00::/129")]
    [InlineData("fc00::/1000")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("10.0.0.0/ 8")]
    [InlineData("10.0.0.0/eight")]
    [InlineData("fe80::1%eth0/64")]
    [InlineData("gggg::/16")]
    public void TryParse_Invalid_FailsNamingTheInput(string text)
    {
        Assert.False(CidrBlock.TryParse(text, out var block, out var error));
        Assert.Equal(default, block);
        Assert.NotNull(error);
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void TryParse_Empty_Fails(string? text)
    {
        Assert.False(CidrBlock.TryParse(text, out _, out var error));
        Assert.Equal("is empty", error);
    }

    [Fact]
    public void PrivateRanges_AllParse()
    {
        foreach (var range in CidrBlock.PrivateRanges)
        {
            Assert.True(CidrBlock.TryParse(range, out var block, out var error), error);
            Assert.Equal(range, block.ToString());
        }
    }

    /// <summary>
    /// Random networks (host bits left in the text), random prefixes 0..32 / 0..128, and addresses
    /// near and far from each network, of both families, against <see cref="IPNetwork.Contains"/>.
    /// </summary>
    [Fact]
    public void Contains_RandomNetworksAndAddresses_AgreesWithIPNetwork()
    {
        var random = new Random(20261126);
        var checkedCount = 0;
        var inside = 0;
        for (var trial = 0; trial < 4000; trial++)
        {
            var v6 = random.Next(2) == 0;
            var bits = v6 ? 128 : 32;
            var prefix = random.Next(5) == 0 ? random.Next(2) * bits : random.Next(0, bits + 1);
            var networkBytes = RandomBytes(random, bits / 8);
            var text = $"{new IPAddress(networkBytes)}/{prefix}";
            Assert.True(CidrBlock.TryParse(text, out var block, out var error), $"{text}: {error}");
            var reference = new IPNetwork(new IPAddress(Masked(networkBytes, prefix)), prefix);

            List<byte[]> candidates =
            [
                networkBytes,
                Masked(networkBytes, prefix),
                LastOf(networkBytes, prefix),
                RandomBytes(random, bits / 8),
                RandomBytes(random, 4),
                RandomBytes(random, 16),
            ];
            for (var i = 0; i < 6; i++) candidates.Add(FlipBit(networkBytes, random.Next(bits)));
            if (prefix > 0)
            {
                // Just below the first and just above the last address of the block.
                candidates.Add(FlipBit(Masked(networkBytes, prefix), prefix - 1));
                candidates.Add(FlipBit(LastOf(networkBytes, prefix), prefix - 1));
            }

            var addresses = candidates.Select(c => new IPAddress(c)).ToList();
            // IPv4-mapped IPv6 addresses are IPv6 (flow logs keep the family), though IPNetwork.Contains maps them.
            if (!v6) addresses.Add(new IPAddress(networkBytes).MapToIPv6());
            foreach (var address in addresses)
            {
                var expected = address.AddressFamily == reference.BaseAddress.AddressFamily && reference.Contains(address);
                Assert.True(expected == block.Contains(FlowAddress.FromIPAddress(address)), $"{text} contains {address}: expected {expected}");
                checkedCount++;
                if (expected) inside++;
            }
        }
        // Both outcomes are well represented.
        Assert.InRange(inside, checkedCount / 5, checkedCount * 4 / 5);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Masked(byte[] bytes, int prefix)
    {
        var result = (byte[])bytes.Clone();
        for (var bit = prefix; bit < result.Length * 8; bit++) result[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return result;
    }

    private static byte[] LastOf(byte[] bytes, int prefix)
    {
        var result = (byte[])bytes.Clone();
        for (var bit = prefix; bit < result.Length * 8; bit++) result[bit / 8] |= (byte)(0x80 >> (bit % 8));
        return result;
    }

    private static byte[] FlipBit(byte[] bytes, int bit)
    {
        var result = (byte[])bytes.Clone();
        result[bit / 8] ^= (byte)(0x80 >> (bit % 8));
        return result;
    }
}
