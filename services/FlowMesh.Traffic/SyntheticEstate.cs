using FlowMesh.FlowLogs;

namespace FlowMesh.Traffic;

/// <summary>One network interface of the synthetic estate and the tier it belongs to.</summary>
public sealed record SyntheticInterface(
    string InterfaceId, string AccountId, string VpcId, string SubnetId, string? InstanceId, FlowAddress Address, Tier Tier);

/// <summary>What an interface does in the synthetic estate.</summary>
public enum Tier { Web, App, Database, NatGateway, Bastion }

/// <summary>
/// A small AWS estate generated from a seed: two accounts, a few VPCs, each with web, app and
/// database tiers, a NAT gateway and a bastion host; a population of internet clients whose
/// popularity is Zipf-distributed; and two attackers that security groups reject — an SSH
/// brute-forcer and an RDP scanner.
/// </summary>
public sealed class SyntheticEstate
{
    private SyntheticEstate(IReadOnlyList<SyntheticInterface> interfaces, IReadOnlyList<FlowAddress> clients, FlowAddress sshAttacker, FlowAddress rdpScanner)
    {
        Interfaces = interfaces;
        InternetClients = clients;
        SshAttacker = sshAttacker;
        RdpScanner = rdpScanner;
    }

    public IReadOnlyList<SyntheticInterface> Interfaces { get; }

    /// <summary>Internet clients, most popular first (their weights follow Zipf's law).</summary>
    public IReadOnlyList<FlowAddress> InternetClients { get; }

    /// <summary>Tries SSH (22) on every interface; always rejected.</summary>
    public FlowAddress SshAttacker { get; }

    /// <summary>Probes RDP (3389) across the estate; always rejected.</summary>
    public FlowAddress RdpScanner { get; }

    public IEnumerable<SyntheticInterface> InTier(Tier tier) => Interfaces.Where(i => i.Tier == tier);

    /// <summary>Builds the estate. <paramref name="scale"/> multiplies interfaces and internet clients (1 = dozens of ENIs, ~2,000 clients).</summary>
    public static SyntheticEstate Create(int seed, int scale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        var rng = new Random(seed);
        string[] accounts = ["123456789012", "210987654321"];
        var interfaces = new List<SyntheticInterface>();
        var vpcCount = 3;
        for (var v = 0; v < vpcCount; v++)
        {
            var account = accounts[v % accounts.Length];
            var vpc = "vpc-" + Hex(rng, 17);
            var octet = 10 + v;
            void Add(Tier tier, int count, int subnet, bool instance)
            {
                var subnetId = "subnet-" + Hex(rng, 17);
                for (var i = 0; i < count; i++)
                {
                    var address = FlowAddress.FromIPv4((10u << 24) | ((uint)octet << 16) | ((uint)subnet << 8) | (uint)(10 + i));
                    interfaces.Add(new SyntheticInterface("eni-" + Hex(rng, 17), account, vpc, subnetId, instance ? "i-" + Hex(rng, 17) : null, address, tier));
                }
            }
            Add(Tier.Web, 4 * scale, 1, true);
            Add(Tier.App, 6 * scale, 2, true);
            Add(Tier.Database, 2 * scale, 3, true);
            Add(Tier.NatGateway, 1, 0, false);
            Add(Tier.Bastion, 1, 4, true);
        }
        var clients = new HashSet<FlowAddress>();
        while (clients.Count < 2000 * scale)
        {
            // Public-looking addresses outside private ranges (first octet 11–223, not 127).
            var first = (uint)rng.Next(11, 224);
            if (first is 127 or 172 or 192) continue;
            clients.Add(FlowAddress.FromIPv4((first << 24) | (uint)rng.Next(0, 1 << 24)));
        }
        return new SyntheticEstate(interfaces, [.. clients], FlowAddress.Parse("198.51.100.23"), FlowAddress.Parse("203.0.113.77"));
    }

    private static string Hex(Random rng, int length)
    {
        const string digits = "0123456789abcdef";
        return string.Create(length, rng, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = digits[r.Next(16)];
        });
    }
}
