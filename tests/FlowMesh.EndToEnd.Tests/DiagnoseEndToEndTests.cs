using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace FlowMesh.EndToEnd.Tests;

/// <summary>
/// Connection diagnosis end to end: realistic request/reply record pairs (a v8 custom format with
/// flow-direction, tcp-flags and reject-reason, and AWS's own ping example in the default format)
/// delivered by <c>flowmesh replay</c> through the real Firehose endpoint of a real server, then
/// diagnosed by the real <c>flowmesh diagnose --json</c> over gRPC. Each verdict and the records it
/// lists are checked against the lines the test wrote.
/// </summary>
public sealed class DiagnoseEndToEndTests(DiagnosisScenario scenario) : IClassFixture<DiagnosisScenario>
{
    [Fact]
    public async Task Diagnose_RequestAndReplyAccepted_AllowedBothWays()
    {
        var d = await scenario.DiagnoseAsync("10.20.0.10", "10.20.1.20", "--port", "443", "--protocol", "tcp");

        Assert.Equal("allowed_both_ways", d.Verdict);
        scenario.AssertRecords(d, "10.20.0.10", "10.20.1.20", 443);
    }

    [Fact]
    public async Task Diagnose_InboundRequestRejectedNoReply_RequestRejectedAndSaysItCannotTellWhich()
    {
        var d = await scenario.DiagnoseAsync("198.51.100.7", "10.20.1.30", "--port", "22");

        Assert.Equal("request_rejected", d.Verdict);
        Assert.Contains("cannot tell which", d.Conclusion, StringComparison.Ordinal);
        Assert.Empty(d.Replies);
        scenario.AssertRecords(d, "198.51.100.7", "10.20.1.30", 22);
    }

    [Fact]
    public async Task Diagnose_RequestAcceptedReplyRejected_NetworkAclOnTheReturnPathWithEphemeralPorts()
    {
        var d = await scenario.DiagnoseAsync("10.20.0.11", "10.20.2.40", "--port", "5432", "--protocol", "tcp");

        Assert.Equal("reply_rejected", d.Verdict);
        Assert.Contains("network ACL", d.Conclusion, StringComparison.Ordinal);
        Assert.Contains("egress", d.Conclusion, StringComparison.Ordinal);
        Assert.Contains(d.NextSteps, s => s.Contains("OUTBOUND network ACL", StringComparison.Ordinal) && s.Contains("1024-65535", StringComparison.Ordinal));
        // Two connections from two ephemeral ports: the reply record spans both.
        Assert.Contains(d.NextSteps, s => s.Contains("51000-51007", StringComparison.Ordinal));
        Assert.Contains(d.Evidence, e => e.Contains("SYN-ACK", StringComparison.Ordinal));
        scenario.AssertRecords(d, "10.20.0.11", "10.20.2.40", 5432);
    }

    [Fact]
    public async Task Diagnose_RejectReasonBpa_BlockPublicAccess()
    {
        var d = await scenario.DiagnoseAsync("203.0.113.50", "10.20.3.50", "--port", "443");

        Assert.Equal("block_public_access", d.Verdict);
        Assert.Contains("BPA", d.Conclusion, StringComparison.Ordinal);
        scenario.AssertRecords(d, "203.0.113.50", "10.20.3.50", 443);
    }

    [Fact]
    public async Task Diagnose_AwsPingExampleInDefaultFormat_ReplyRejectedByTheNetworkAcl()
    {
        var d = await scenario.DiagnoseAsync("203.0.113.12", "172.31.16.139", "--protocol", "icmp");

        Assert.Equal("reply_rejected", d.Verdict);
        var request = Assert.Single(d.Requests);
        var reply = Assert.Single(d.Replies);
        Assert.Equal(("eni-1235b8ca123456789", "accept", 4UL, 336UL), (request.InterfaceId, request.Action, request.Packets, request.Bytes));
        Assert.Equal(("eni-1235b8ca123456789", "reject", 4UL, 336UL), (reply.InterfaceId, reply.Action, reply.Packets, reply.Bytes));
    }

    [Fact]
    public async Task Diagnose_PairNeverSeen_NoRecordsAndSaysNeitherAddressAppears()
    {
        var d = await scenario.DiagnoseAsync("10.99.9.9", "10.99.9.10", "--port", "80");

        Assert.Equal("no_records", d.Verdict);
        Assert.Equal(2, d.Evidence.Count(e => e.Contains("appears in no flow-log record", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Diagnose_BadAddress_ExitsWithUsageErrorNamingTheField()
    {
        var result = await CliProcess.RunAsync(DiagnosisScenario.ProcessTimeout, "diagnose", "10.0.0.300", "10.0.0.1", "--server", scenario.Server.QueryServer);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("source", result.Error, StringComparison.Ordinal);
        Assert.Contains("10.0.0.300", result.Error, StringComparison.Ordinal);
    }
}

/// <summary>One server with every diagnosis case's records delivered through Firehose.</summary>
public sealed class DiagnosisScenario : IAsyncLifetime
{
    public static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    private const string Format =
        "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction} ${tcp-flags} ${reject-reason}";

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly string _directory = Directory.CreateTempSubdirectory("flowmesh-diagnose-").FullName;
    private readonly List<Line> _lines = [];

    internal ServerProcess Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var t = now - 240;
        // Allowed both ways: each leg logged by the interface it leaves and the one it reaches.
        for (var i = 0; i < 3; i++)
        {
            var port = 50100 + i;
            Add("eni-0c1a0000000000001", "10.20.0.10", "10.20.1.20", port, 443, 6, 10 + i, 4_000 + i, t, "ACCEPT", "egress", 2);
            Add("eni-0c1a0000000000002", "10.20.0.10", "10.20.1.20", port, 443, 6, 10 + i, 4_000 + i, t, "ACCEPT", "ingress", 2);
            Add("eni-0c1a0000000000002", "10.20.1.20", "10.20.0.10", 443, port, 6, 12, 90_000, t, "ACCEPT", "egress", 18);
            Add("eni-0c1a0000000000001", "10.20.1.20", "10.20.0.10", 443, port, 6, 12, 90_000, t, "ACCEPT", "ingress", 18);
        }
        // SSH from the internet rejected on the way in; no reply.
        Add("eni-0c1a0000000000003", "198.51.100.7", "10.20.1.30", 41000, 22, 6, 1, 60, t, "REJECT", "ingress", 2);
        Add("eni-0c1a0000000000003", "198.51.100.7", "10.20.1.30", 41001, 22, 6, 2, 120, t, "REJECT", "ingress", 2);
        // Postgres: requests accepted in, SYN-ACK replies rejected on the way out (outbound NACL).
        Add("eni-0c1a0000000000004", "10.20.0.11", "10.20.2.40", 51000, 5432, 6, 3, 180, t, "ACCEPT", "ingress", 2);
        Add("eni-0c1a0000000000004", "10.20.0.11", "10.20.2.40", 51007, 5432, 6, 3, 180, t, "ACCEPT", "ingress", 2);
        Add("eni-0c1a0000000000004", "10.20.2.40", "10.20.0.11", 5432, 51000, 6, 3, 180, t, "REJECT", "egress", 18);
        Add("eni-0c1a0000000000004", "10.20.2.40", "10.20.0.11", 5432, 51007, 6, 3, 180, t, "REJECT", "egress", 18);
        // Block Public Access.
        Add("eni-0c1a0000000000005", "203.0.113.50", "10.20.3.50", 40000, 443, 6, 1, 60, t, "REJECT", "ingress", 2, "BPA");

        var custom = Path.Combine(_directory, "pairs.log");
        await File.WriteAllLinesAsync(custom, [Format.Replace("${", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), .. _lines.Select(l => l.Text)]);

        // AWS's ping example (VPC guide, flow-log record examples), default format, times moved into the last hour.
        var ping = Path.Combine(_directory, "ping.log");
        var b = now - 300;
        await File.WriteAllLinesAsync(ping,
        [
            $"2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 {b} {b + 115} ACCEPT OK",
            $"2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 {b + 67} {b + 115} REJECT OK",
        ]);

        var accessKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        Server = ServerProcess.Start(accessKey);
        await Server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        foreach (var file in new[] { custom, ping })
        {
            var replay = await CliProcess.RunAsync(ProcessTimeout, "replay", file, "--endpoint", Server.FirehoseEndpoint, "--access-key", accessKey, "--json");
            if (replay.ExitCode != 0) throw new InvalidOperationException($"flowmesh replay {file} failed: {replay}\n{Server.Log}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    internal async Task<DiagnosisOutput> DiagnoseAsync(params string[] args)
    {
        var result = await CliProcess.RunAsync(ProcessTimeout, ["diagnose", .. args, "--server", Server.QueryServer, "--json"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonSerializer.Deserialize<DiagnosisOutput>(result.Output, SnakeCase)
            ?? throw new InvalidOperationException("no JSON: " + result);
    }

    /// <summary>
    /// The requests and replies listed equal the lines written for this pair, summed per interface,
    /// action and direction (the server combines records of one kind; the ephemeral ports of a
    /// client's requests are not kept).
    /// </summary>
    internal void AssertRecords(DiagnosisOutput d, string client, string server, int port)
    {
        Assert.Equal(Expected(client, server, l => l.DstPort == port), Summed(d.Requests));
        Assert.Equal(Expected(server, client, l => l.SrcPort == port), Summed(d.Replies));
    }

    private List<string> Expected(string src, string dst, Func<Line, bool> port) =>
        [.. _lines.Where(l => l.Src == src && l.Dst == dst && port(l))
            .GroupBy(l => (l.Eni, l.Action, l.Direction))
            .Select(g => $"{g.Key.Eni} {g.Key.Action.ToLowerInvariant()} {g.Key.Direction} flows={g.Count()} packets={g.Sum(l => l.Packets)} bytes={g.Sum(l => l.Bytes)} flags={g.Aggregate(0, (f, l) => f | l.TcpFlags)}")
            .Order(StringComparer.Ordinal)];

    private static List<string> Summed(IEnumerable<DiagnosisRecord> records) =>
        [.. records.Select(r => $"{r.InterfaceId} {r.Action} {r.Direction} flows={r.Flows} packets={r.Packets} bytes={r.Bytes} flags={r.TcpFlags ?? 0}").Order(StringComparer.Ordinal)];

    private void Add(string eni, string src, string dst, int srcPort, int dstPort, int protocol, long packets, long bytes, long start, string action, string direction, int tcpFlags, string reason = "-")
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"8 123456789010 {eni} {src} {dst} {srcPort} {dstPort} {protocol} {packets} {bytes} {start} {start + 50} {action} OK {direction} {tcpFlags} {reason}");
        _lines.Add(new Line(text, eni, src, dst, srcPort, dstPort, packets, bytes, action, direction, tcpFlags));
    }

    private sealed record Line(string Text, string Eni, string Src, string Dst, int SrcPort, int DstPort, long Packets, long Bytes, string Action, string Direction, int TcpFlags);
}

internal sealed record DiagnosisOutput(string Verdict, string Conclusion, List<string> Evidence, List<string> NextSteps, List<DiagnosisRecord> Requests, List<DiagnosisRecord> Replies);

internal sealed record DiagnosisRecord(
    string InterfaceId, string Source, string Destination, int? SourcePort, int? DestinationPort, int? HighestDestinationPort, int? Protocol,
    string Action, string? Direction, string? RejectReason, int? TcpFlags, ulong Flows, ulong Packets, ulong Bytes);
