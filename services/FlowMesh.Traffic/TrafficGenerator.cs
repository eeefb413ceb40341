using FlowMesh.FlowLogs;

namespace FlowMesh.Traffic;

/// <summary>
/// Realistic flow records for a <see cref="SyntheticEstate"/>, reproducible from a seed: internet
/// clients (Zipf popularity) reaching the web tier on 443, web → app on 8080, app → database on
/// 5432, outbound HTTPS and DNS through the NAT gateway, an SSH brute-forcer and an RDP scanner
/// that get rejected, stray port scans, bastion SSH, and occasional NODATA/SKIPDATA records.
/// A flow is logged by every interface it crosses, request and reply, as AWS does.
/// </summary>
public sealed class TrafficGenerator
{
    private static readonly FlowAddress[] PublicResolvers = [FlowAddress.Parse("8.8.8.8"), FlowAddress.Parse("1.1.1.1")];
    private static readonly FlowAddress AdminAddress = FlowAddress.Parse("192.0.2.10");

    private readonly Random _rng;
    private readonly SyntheticInterface[] _web;
    private readonly SyntheticInterface[] _app;
    private readonly SyntheticInterface[] _db;
    private readonly SyntheticInterface[] _nat;
    private readonly SyntheticInterface[] _bastion;
    private readonly double[] _clientCdf;
    private int _scanCursor;

    public TrafficGenerator(SyntheticEstate estate, int seed)
    {
        ArgumentNullException.ThrowIfNull(estate);
        Estate = estate;
        _rng = new Random(seed);
        _web = [.. estate.InTier(Tier.Web)];
        _app = [.. estate.InTier(Tier.App)];
        _db = [.. estate.InTier(Tier.Database)];
        _nat = [.. estate.InTier(Tier.NatGateway)];
        _bastion = [.. estate.InTier(Tier.Bastion)];
        _clientCdf = ZipfCdf(estate.InternetClients.Count, 1.1);
    }

    public SyntheticEstate Estate { get; }

    /// <summary>Fields the generator fills (a v5 custom format can show all of them).</summary>
    public static FlowFieldSet GeneratedFields { get; } = new[]
    {
        FlowField.Version, FlowField.AccountId, FlowField.InterfaceId, FlowField.SrcAddr, FlowField.DstAddr, FlowField.SrcPort,
        FlowField.DstPort, FlowField.Protocol, FlowField.Packets, FlowField.Bytes, FlowField.Start, FlowField.End,
        FlowField.Action, FlowField.LogStatus, FlowField.VpcId, FlowField.SubnetId, FlowField.TcpFlags, FlowField.Type,
        FlowField.FlowDirection,
    }.Aggregate(FlowFieldSet.Empty, (set, f) => set.With(f));

    /// <summary>Generates <paramref name="count"/> records (events are never split across calls' boundaries beyond count).</summary>
    public IEnumerable<FlowRecord> Records(long count, Func<long> clockUnixSeconds)
    {
        ArgumentNullException.ThrowIfNull(clockUnixSeconds);
        var buffer = new List<FlowRecord>(8);
        long produced = 0;
        while (produced < count)
        {
            buffer.Clear();
            NextEvent(clockUnixSeconds(), buffer);
            foreach (var r in buffer)
            {
                if (produced++ >= count) yield break;
                yield return r;
            }
        }
    }

    /// <summary>Appends the records of one synthetic event happening at <paramref name="nowUnix"/>.</summary>
    public void NextEvent(long nowUnix, List<FlowRecord> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var roll = _rng.NextDouble();
        var start = nowUnix - _rng.Next(0, 50);
        var end = Math.Min(nowUnix, start + _rng.Next(0, 60));
        var ephemeral = _rng.Next(32768, 61000);
        switch (roll)
        {
            case < 0.45:
            {
                var web = Pick(_web);
                var client = Client();
                TcpExchange(output, web, client, web.Address, ephemeral, 443, start, end, Bytes(400, 6_000), Bytes(8_000, 2_000_000), inbound: true);
                break;
            }
            case < 0.62:
                InternalExchange(output, Pick(_web), Pick(_app), 8080, ephemeral, start, end, Bytes(300, 4_000), Bytes(2_000, 200_000));
                break;
            case < 0.74:
                InternalExchange(output, Pick(_app), Pick(_db), 5432, ephemeral, start, end, Bytes(200, 3_000), Bytes(1_000, 500_000));
                break;
            case < 0.82:
            {
                var app = Pick(_app);
                var nat = NatFor(app);
                var remote = Client();
                var sent = Bytes(500, 20_000);
                var received = Bytes(2_000, 1_000_000);
                TcpExchange(output, app, remote, app.Address, ephemeral, 443, start, end, sent, received, inbound: false);
                TcpExchange(output, nat, remote, nat.Address, ephemeral, 443, start, end, sent, received, inbound: false);
                break;
            }
            case < 0.87:
            {
                var app = Pick(_app);
                var resolver = PublicResolvers[_rng.Next(PublicResolvers.Length)];
                output.Add(Make(app, app.Address, resolver, ephemeral, 53, 17, 1, _rng.Next(60, 120), start, start, FlowAction.Accept, 0, FlowDirection.Egress));
                output.Add(Make(app, resolver, app.Address, 53, ephemeral, 17, 1, _rng.Next(100, 400), start, start, FlowAction.Accept, 0, FlowDirection.Ingress));
                break;
            }
            case < 0.91:
            {
                // SSH brute force: security groups drop it, so only the inbound REJECT is logged.
                var target = Pick(_rng.Next(2) == 0 ? _web : _app);
                output.Add(Make(target, Estate.SshAttacker, target.Address, ephemeral, 22, 6, _rng.Next(1, 4), _rng.Next(40, 180), start, end, FlowAction.Reject, 2, FlowDirection.Ingress));
                break;
            }
            case < 0.94:
            {
                var all = Estate.Interfaces;
                var target = all[_scanCursor++ % all.Count];
                output.Add(Make(target, Estate.RdpScanner, target.Address, ephemeral, 3389, 6, 1, 44, start, start, FlowAction.Reject, 2, FlowDirection.Ingress));
                break;
            }
            case < 0.965:
            {
                int[] ports = [23, 445, 1433, 3306, 8443, 9200];
                var target = Pick(_web);
                output.Add(Make(target, Client(), target.Address, ephemeral, ports[_rng.Next(ports.Length)], 6, 1, 40, start, start, FlowAction.Reject, 2, FlowDirection.Ingress));
                break;
            }
            case < 0.975:
            {
                var bastion = Pick(_bastion);
                TcpExchange(output, bastion, AdminAddress, bastion.Address, ephemeral, 22, start, end, Bytes(2_000, 50_000), Bytes(5_000, 300_000), inbound: true);
                break;
            }
            case < 0.995:
            {
                var web = Pick(_web);
                TcpExchange(output, web, Client(), web.Address, ephemeral, 80, start, end, Bytes(300, 2_000), Bytes(300, 2_000), inbound: true);
                break;
            }
            default:
            {
                var quiet = Estate.Interfaces[_rng.Next(Estate.Interfaces.Count)];
                output.Add(NoTraffic(quiet, roll < 0.999 ? LogStatus.NoData : LogStatus.SkipData, nowUnix - 60, nowUnix));
                break;
            }
        }
    }

    private static void InternalExchange(List<FlowRecord> output, SyntheticInterface client, SyntheticInterface server, int port, int ephemeral, long start, long end, long sent, long received)
    {
        // Logged on both interfaces: the client's ENI sees egress request + ingress reply, the server's the opposite.
        TcpExchange(output, client, server.Address, client.Address, ephemeral, port, start, end, sent, received, inbound: false);
        TcpExchange(output, server, client.Address, server.Address, ephemeral, port, start, end, sent, received, inbound: true);
    }

    /// <summary>A TCP connection seen by one interface: the request record and the reply record.</summary>
    private static void TcpExchange(List<FlowRecord> output, SyntheticInterface eni, FlowAddress remote, FlowAddress local, int ephemeral, int port,
        long start, long end, long requestBytes, long replyBytes, bool inbound)
    {
        var (client, server) = inbound ? (remote, local) : (local, remote);
        var requestPackets = Math.Max(1, requestBytes / 700);
        var replyPackets = Math.Max(1, replyBytes / 1200);
        output.Add(Make(eni, client, server, ephemeral, port, 6, requestPackets, requestBytes, start, end, FlowAction.Accept, 3, inbound ? FlowDirection.Ingress : FlowDirection.Egress));
        output.Add(Make(eni, server, client, port, ephemeral, 6, replyPackets, replyBytes, start, end, FlowAction.Accept, 19, inbound ? FlowDirection.Egress : FlowDirection.Ingress));
    }

    private static FlowRecord Make(SyntheticInterface eni, FlowAddress src, FlowAddress dst, int srcPort, int dstPort, int protocol,
        long packets, long bytes, long start, long end, FlowAction action, int tcpFlags, FlowDirection direction) => new()
    {
        Present = protocol == 6 ? GeneratedFields : GeneratedFields.Without(FlowField.TcpFlags),
        Version = 5, AccountId = eni.AccountId, InterfaceId = eni.InterfaceId, SrcAddr = src, DstAddr = dst,
        SrcPort = srcPort, DstPort = dstPort, Protocol = protocol, Packets = packets, Bytes = bytes,
        Start = start, End = end, Action = action, LogStatus = LogStatus.Ok,
        VpcId = eni.VpcId, SubnetId = eni.SubnetId, TcpFlags = tcpFlags, Type = TrafficType.IPv4, FlowDirection = direction,
    };

    private static FlowRecord NoTraffic(SyntheticInterface eni, LogStatus status, long start, long end) => new()
    {
        Present = FlowFieldSet.Empty.With(FlowField.Version).With(FlowField.AccountId).With(FlowField.InterfaceId)
            .With(FlowField.Start).With(FlowField.End).With(FlowField.LogStatus).With(FlowField.VpcId).With(FlowField.SubnetId),
        Version = 5, AccountId = eni.AccountId, InterfaceId = eni.InterfaceId, Start = start, End = end, LogStatus = status,
        VpcId = eni.VpcId, SubnetId = eni.SubnetId,
    };

    private SyntheticInterface NatFor(SyntheticInterface eni) => _nat.FirstOrDefault(n => n.VpcId == eni.VpcId) ?? _nat[0];

    private SyntheticInterface Pick(SyntheticInterface[] tier) => tier[_rng.Next(tier.Length)];

    private FlowAddress Client()
    {
        var index = Array.BinarySearch(_clientCdf, _rng.NextDouble());
        return Estate.InternetClients[Math.Min(index < 0 ? ~index : index, Estate.InternetClients.Count - 1)];
    }

    /// <summary>Heavy-tailed sizes: log-uniform between the bounds.</summary>
    private long Bytes(long min, long max) => (long)Math.Exp(Math.Log(min) + (_rng.NextDouble() * (Math.Log(max) - Math.Log(min))));

    private static double[] ZipfCdf(int n, double s)
    {
        var cdf = new double[n];
        double sum = 0;
        for (var i = 0; i < n; i++) cdf[i] = sum += 1.0 / Math.Pow(i + 1, s);
        for (var i = 0; i < n; i++) cdf[i] /= sum;
        return cdf;
    }
}
