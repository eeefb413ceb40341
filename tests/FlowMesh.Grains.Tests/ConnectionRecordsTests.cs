using FlowMesh.FlowLogs;

namespace FlowMesh.Grains.Tests;

/// <summary>
/// The evidence connection diagnosis reads from address grains: exact per-kind sums of the records
/// between two addresses (both directions, every interface), the service-side source port kept and
/// the client's ephemeral one dropped, tcp-flags OR-ed, reject reasons kept, the same after a replay
/// of the journal (so the new row fields survive the real serializer), and a bound that says when
/// it dropped evidence.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class ConnectionRecordsTests(ClusterFixture fixture)
{
    private const string Account = "444455556666";

    [Fact]
    public async Task GetConnectionRecords_RequestsAndRepliesOverSeveralFlushes_EqualBruteForceAndSurviveReplay()
    {
        var rng = new Random(7107);
        var vpc = GrainApply.UniqueVpc();
        var enis = GrainApply.UniqueEnis(2);
        var addresses = TestTraffic.Addresses(rng, 6);
        var (client, server) = (addresses[0], addresses[1]);
        var now = fixture.Time.GetUtcNow().ToUnixTimeSeconds();
        var records = new List<FlowRecord>();
        for (var i = 0; i < 300; i++)
        {
            var start = now - rng.Next(60, 1800);
            var ephemeral = rng.Next(32768, 61000);
            var action = rng.Next(5) == 0 ? FlowAction.Reject : FlowAction.Accept;
            // Request on the client's interface (egress) and the server's (ingress); the reply back.
            records.Add(Full(enis[0], client, server, ephemeral, 5432, 6, start, FlowAction.Accept, FlowDirection.Egress, 2, null, rng));
            records.Add(Full(enis[1], client, server, ephemeral, 5432, 6, start, FlowAction.Accept, FlowDirection.Ingress, 2, null, rng));
            records.Add(Full(enis[1], server, client, 5432, ephemeral, 6, start, action, FlowDirection.Egress, rng.Next(2) == 0 ? 18 : 16, null, rng));
            // Traffic with other peers must not show up.
            records.Add(Full(enis[0], client, addresses[2 + rng.Next(4)], ephemeral, 443, 6, start, FlowAction.Accept, FlowDirection.Egress, 2, null, rng));
        }
        records.Add(Full(enis[1], client, server, 40001, 5432, 6, now - 120, FlowAction.Reject, FlowDirection.Ingress, 2, "BPA", rng));
        foreach (var chunk in records.Chunk(97)) await GrainApply.ApplyAsync(fixture.Grains, chunk);

        var expected = BruteForce(records.Where(r => (r.SrcAddr == client && r.DstAddr == server) || (r.SrcAddr == server && r.DstAddr == client)));
        var clientGrain = fixture.Grains.GetGrain<IAddressGrain>(GrainKeys.Address(client));
        var fromClient = await clientGrain.GetConnectionRecordsAsync(server);
        var fromServer = await fixture.Grains.GetGrain<IAddressGrain>(GrainKeys.Address(server)).GetConnectionRecordsAsync(client);

        Assert.True(fromClient.AddressSeen);
        Assert.False(fromClient.Evicted);
        Assert.Equal(expected, Keyed(fromClient.Records));
        Assert.Equal(expected, Keyed(fromServer.Records));
        // The client's ephemeral ports were dropped, the server's service port kept.
        Assert.All(fromClient.Records.Where(r => r.Source == client), r => Assert.Equal(-1, r.SourcePort));
        Assert.All(fromClient.Records.Where(r => r.Source == server), r => Assert.Equal(5432, r.SourcePort));
        Assert.Contains(fromClient.Records, r => r.RejectReason == "BPA" && r.Flows == 1);

        await fixture.Cluster.DeactivateAsync(clientGrain);
        var replayed = await clientGrain.GetConnectionRecordsAsync(server);
        Assert.Equal(expected, Keyed(replayed.Records));
    }

    [Fact]
    public async Task GetConnectionRecords_MorePeersThanTheBound_KeepsTheRecentOnesAndSaysSomeWereDropped()
    {
        var rng = new Random(7108);
        var enis = GrainApply.UniqueEnis(1);
        var peers = TestTraffic.Addresses(rng, 101);
        var scanner = peers[0];
        var now = fixture.Time.GetUtcNow().ToUnixTimeSeconds();
        // 100 peers one minute apart, oldest first: more than the 64 entries an address keeps by default.
        for (var i = 1; i <= 100; i++)
        {
            await GrainApply.ApplyAsync(fixture.Grains,
                [Full(enis[0], scanner, peers[i], 50000, 22, 6, now - ((101 - i) * 30), FlowAction.Reject, FlowDirection.Ingress, 2, null, rng)]);
        }

        var grain = fixture.Grains.GetGrain<IAddressGrain>(GrainKeys.Address(scanner));
        var newest = await grain.GetConnectionRecordsAsync(peers[100]);
        var oldest = await grain.GetConnectionRecordsAsync(peers[1]);

        Assert.True(newest.Evicted);
        Assert.Equal(1, Assert.Single(newest.Records).Flows);
        Assert.Empty(oldest.Records);
    }

    [Fact]
    public async Task GetConnectionRecords_AddressNeverSeen_SaysSo()
    {
        var rng = new Random(7109);
        var addresses = TestTraffic.Addresses(rng, 2);

        var records = await fixture.Grains.GetGrain<IAddressGrain>(GrainKeys.Address(addresses[0])).GetConnectionRecordsAsync(addresses[1]);

        Assert.False(records.AddressSeen);
        Assert.Empty(records.Records);
    }

    private static FlowRecord Full(
        string eni, FlowAddress src, FlowAddress dst, int srcPort, int dstPort, int protocol, long start, FlowAction action,
        FlowDirection direction, int tcpFlags, string? rejectReason, Random rng)
    {
        var r = TestTraffic.Record(eni, Account, "vpc-conn", src, dst, dstPort, protocol, rng.Next(1, 20), rng.Next(60, 90_000), start, start + rng.Next(0, 50), action);
        r.SrcPort = srcPort;
        r.FlowDirection = direction;
        r.TcpFlags = tcpFlags;
        var present = r.Present.With(FlowField.FlowDirection).With(FlowField.TcpFlags);
        if (rejectReason is not null)
        {
            r.RejectReason = rejectReason;
            present = present.With(FlowField.RejectReason);
        }
        r.Present = present;
        return r;
    }

    /// <summary>Per kind of record: sums, OR of flags, and the destination ports' range (replies collapse their ephemeral ports).</summary>
    private static SortedDictionary<string, (long Flows, long Packets, long Bytes, int TcpFlags, int LowPort, int HighPort)> BruteForce(IEnumerable<FlowRecord> records)
    {
        var result = new SortedDictionary<string, (long Flows, long Packets, long Bytes, int TcpFlags, int LowPort, int HighPort)>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            var srcPort = r.SrcPort <= r.DstPort ? r.SrcPort : -1;
            var reply = srcPort >= 0 && srcPort < r.DstPort;
            var key = Key(r.InterfaceId, r.SrcAddr, r.DstAddr, srcPort, reply ? -1 : r.DstPort, r.Protocol, r.Action, r.FlowDirection, r.RejectReason);
            var sum = result.TryGetValue(key, out var s) ? s : (0L, 0L, 0L, 0, int.MaxValue, int.MinValue);
            result[key] = (sum.Item1 + 1, sum.Item2 + r.Packets, sum.Item3 + r.Bytes, sum.Item4 | r.TcpFlags, Math.Min(sum.Item5, r.DstPort), Math.Max(sum.Item6, r.DstPort));
        }
        return result;
    }

    private static SortedDictionary<string, (long Flows, long Packets, long Bytes, int TcpFlags, int LowPort, int HighPort)> Keyed(IEnumerable<ConnectionRecord> records) =>
        new(records.ToDictionary(
            r => Key(r.InterfaceId, r.Source, r.Destination, r.SourcePort, r.HighestDestinationPort > r.DestinationPort || r.SourcePort >= 0 && r.SourcePort < r.DestinationPort ? -1 : r.DestinationPort,
                r.Protocol, r.Action, r.Direction, r.RejectReason),
            r => (r.Flows, r.Packets, r.Bytes, r.TcpFlags, r.DestinationPort, r.HighestDestinationPort)), StringComparer.Ordinal);

    private static string Key(string? eni, FlowAddress src, FlowAddress dst, int srcPort, int dstPort, int protocol, FlowAction action, FlowDirection direction, string? reason) =>
        $"{eni} {src}:{srcPort} -> {dst}:{dstPort} p{protocol} {action} {direction} {reason}";
}
