using System.Text;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation.Tests;

/// <summary>
/// What the combiner keeps of each record for connection diagnosis: the service side's source port
/// (not a client's ephemeral one), the reject reason of rejects, and the OR of tcp-flags — while
/// rows still combine and every counter sums exactly.
/// </summary>
public sealed class FlowBatchCombinerTests
{
    private const string Format =
        "${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction} ${tcp-flags} ${reject-reason}";

    private static List<FlowRow> Combine(params string[] lines)
    {
        var combiner = new FlowBatchCombiner();
        var lineNumber = 0;
        new FlowLogParser(FlowLogFormat.Parse(Format)).ParseText(Encoding.ASCII.GetBytes(string.Join('\n', lines) + "\n"), combiner, ref lineNumber);
        Assert.Equal(0, combiner.Malformed);
        return [.. combiner.Rows];
    }

    [Fact]
    public void OnRecord_ClientRequestsFromManyEphemeralPorts_DropTheSourcePortAndCombine()
    {
        var rows = Combine(
            "8 eni-1 10.0.0.5 10.0.1.9 50001 443 6 3 180 1764115200 1764115210 ACCEPT OK egress 2 -",
            "8 eni-1 10.0.0.5 10.0.1.9 50002 443 6 4 240 1764115200 1764115210 ACCEPT OK egress 3 -",
            "8 eni-1 10.0.0.5 10.0.1.9 61000 443 6 5 300 1764115200 1764115210 ACCEPT OK egress 1 -");

        var row = Assert.Single(rows);
        Assert.Equal((-1, 443, 3L, 12L, 720L, 3), (row.Key.SourcePort, row.Key.DestinationPort, row.Flows, row.Packets, row.Bytes, row.TcpFlags));
    }

    [Fact]
    public void OnRecord_ServerReply_KeepsTheServicePortAndTheEphemeralDestination()
    {
        var rows = Combine(
            "8 eni-2 10.0.1.9 10.0.0.5 443 50001 6 3 180 1764115200 1764115210 ACCEPT OK egress 18 -",
            "8 eni-2 10.0.1.9 10.0.0.5 443 50002 6 3 180 1764115200 1764115210 ACCEPT OK egress 16 -",
            "8 eni-2 10.0.0.7 10.0.0.8 123 123 17 1 76 1764115200 1764115210 ACCEPT OK egress - -");

        Assert.Equal(
            [(443, 50001, 18), (443, 50002, 16), (123, 123, 0)],
            rows.OrderByDescending(r => r.Key.SourcePort).ThenBy(r => r.Key.DestinationPort).Select(r => (r.Key.SourcePort, r.Key.DestinationPort, r.TcpFlags)));
    }

    [Fact]
    public void OnRecord_RejectReason_KeptForRejectsOnlyAndSplitsRows()
    {
        var rows = Combine(
            "8 eni-3 198.51.100.7 10.0.1.9 40000 443 6 1 40 1764115200 1764115210 REJECT OK ingress 2 BPA",
            "8 eni-3 198.51.100.7 10.0.1.9 40001 443 6 1 40 1764115200 1764115210 REJECT OK ingress 2 -",
            "8 eni-3 198.51.100.7 10.0.1.9 40002 443 6 1 40 1764115200 1764115210 REJECT OK ingress 2 -");

        Assert.Equal([("BPA", 1L), ((string?)null, 2L)], rows.OrderBy(r => r.Key.RejectReason is null).Select(r => (r.Key.RejectReason, r.Flows)));
    }

    [Fact]
    public void MergeFrom_TwoRequestsWithTheSameRows_SumsCountersAndOrsFlags()
    {
        var first = new FlowBatchCombiner();
        var second = new FlowBatchCombiner();
        var parser = new FlowLogParser(FlowLogFormat.Parse(Format));
        var n = 0;
        parser.ParseText("8 eni-4 10.0.0.5 10.0.1.9 50001 22 6 3 180 1764115200 1764115210 ACCEPT OK ingress 2 -\n"u8.ToArray(), first, ref n);
        parser.ParseText("8 eni-4 10.0.0.5 10.0.1.9 50009 22 6 5 400 1764115200 1764115210 ACCEPT OK ingress 17 -\n"u8.ToArray(), second, ref n);

        first.MergeFrom(second);

        var row = Assert.Single(first.Rows);
        Assert.Equal((2L, 8L, 580L, 2 | 17), (row.Flows, row.Packets, row.Bytes, row.TcpFlags));
    }

    [Theory]
    [InlineData(50000, 443, -1)]
    [InlineData(443, 50000, 443)]
    [InlineData(53, 53, 53)]
    [InlineData(0, 0, 0)]
    [InlineData(-1, 443, -1)]
    [InlineData(443, -1, -1)]
    public void KeptSourcePort_IsTheLowerServiceSideOnly(int source, int destination, int kept) =>
        Assert.Equal(kept, FlowRowKey.KeptSourcePort(source, destination));
}
