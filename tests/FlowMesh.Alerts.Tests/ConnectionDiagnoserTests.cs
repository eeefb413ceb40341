using System.Text;
using FlowMesh.Alerts.Diagnostics;
using FlowMesh.FlowLogs;

namespace FlowMesh.Alerts.Tests;

public sealed class ConnectionDiagnoserTests
{
    private const string V5 = "${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction} ${tcp-flags}";
    private static readonly FlowAddress Client = FlowAddress.Parse("203.0.113.12");
    private static readonly FlowAddress Server = FlowAddress.Parse("172.31.16.139");

    [Fact]
    public void Diagnose_AwsPingExample_ReplyRejectedByNetworkAcl()
    {
        // The AWS documentation's example (spec §5): ICMP allowed in by SG and NACL, NACL denies outbound.
        var records = Parse(FlowLogFormat.Default,
            "2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK",
            "2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 REJECT OK");

        var diagnosis = ConnectionDiagnoser.Diagnose(Client, Server, port: 0, protocol: 1, records);

        Assert.Equal(DiagnosisVerdict.ReplyRejected, diagnosis.Verdict);
        Assert.Contains("network ACL", diagnosis.Conclusion, StringComparison.Ordinal);
        Assert.Single(diagnosis.Requests);
        Assert.Single(diagnosis.Replies);
        // ICMP has no ports: the advice names the protocol, not the ephemeral range TCP and UDP replies use.
        Assert.Contains(diagnosis.NextSteps, s => s.Contains("OUTBOUND network ACL", StringComparison.Ordinal) && s.Contains("ICMP", StringComparison.Ordinal));
        Assert.DoesNotContain(diagnosis.NextSteps, s => s.Contains("1024-65535", StringComparison.Ordinal));
        Assert.Contains(diagnosis.Evidence, e => e.Contains("security group never drops the reply", StringComparison.Ordinal));
    }

    [Fact]
    public void Diagnose_LoneInboundReject_SaysSecurityGroupOrNaclCannotTell()
    {
        var records = Parse(FlowLogFormat.Parse(V5),
            "5 eni-0a1b2c3d4e5f60718 203.0.113.12 172.31.16.139 51000 22 6 3 180 1764115212 1764115212 REJECT OK ingress 2");

        var diagnosis = ConnectionDiagnoser.Diagnose(Client, Server, 22, 6, records);

        Assert.Equal(DiagnosisVerdict.RequestRejected, diagnosis.Verdict);
        Assert.Contains("cannot tell which", diagnosis.Conclusion, StringComparison.Ordinal);
        Assert.Contains(diagnosis.NextSteps, s => s.Contains("inbound rules of the security groups", StringComparison.Ordinal));
        Assert.Contains(diagnosis.NextSteps, s => s.Contains("inbound network ACL", StringComparison.Ordinal));
    }

    [Fact]
    public void Diagnose_SynAckRejectedOnTheWayOut_PointsAtServerNaclWithEphemeralPorts()
    {
        var records = Parse(FlowLogFormat.Parse(V5),
            "5 eni-0a1b2c3d4e5f60718 203.0.113.12 172.31.16.139 51000 443 6 2 120 1764115212 1764115213 ACCEPT OK ingress 2",
            "5 eni-0a1b2c3d4e5f60718 172.31.16.139 203.0.113.12 443 51000 6 2 120 1764115212 1764115213 REJECT OK egress 18");

        var diagnosis = ConnectionDiagnoser.Diagnose(Client, Server, 443, 6, records);

        Assert.Equal(DiagnosisVerdict.ReplyRejected, diagnosis.Verdict);
        Assert.Contains("leaving eni-0a1b2c3d4e5f60718 (egress)", diagnosis.Conclusion, StringComparison.Ordinal);
        Assert.Contains(diagnosis.Evidence, e => e.Contains("tcp-flags 18 (SYN-ACK)", StringComparison.Ordinal));
        Assert.Contains(diagnosis.NextSteps, s => s.Contains("reply's destination port here is 51000", StringComparison.Ordinal));
    }

    [Fact]
    public void Diagnose_RequestAndReplyAccepted_AllowedBothWays()
    {
        var records = Parse(FlowLogFormat.Parse(V5),
            "5 eni-0a1b2c3d4e5f60718 203.0.113.12 172.31.16.139 51000 443 6 10 1200 1764115212 1764115260 ACCEPT OK ingress 3",
            "5 eni-0a1b2c3d4e5f60718 172.31.16.139 203.0.113.12 443 51000 6 12 90000 1764115212 1764115260 ACCEPT OK egress 19");

        Assert.Equal(DiagnosisVerdict.AllowedBothWays, ConnectionDiagnoser.Diagnose(Client, Server, 443, 6, records).Verdict);
    }

    [Fact]
    public void Diagnose_BlockPublicAccessRejectReason_NamesBpa()
    {
        // The shared sample's v8 BPA record.
        var format = FlowLogFormat.Parse("${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${type} ${region} ${az-id} ${ecs-cluster-name} ${reject-reason}");
        var records = Parse(format,
            "8 123456789012 eni-0b2c3d4e5f6071829 2a05:d018:ab:cd00::1 2001:db8:1234:1a00::15 55000 22 6 3 180 1764115230 1764115231 REJECT OK IPv6 us-east-1 use1-az2 - BPA");

        var diagnosis = ConnectionDiagnoser.Diagnose(FlowAddress.Parse("2a05:d018:ab:cd00::1"), FlowAddress.Parse("2001:db8:1234:1a00::15"), 22, 6, records);

        Assert.Equal(DiagnosisVerdict.BlockPublicAccess, diagnosis.Verdict);
        Assert.Contains("Block Public Access", diagnosis.Conclusion, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnose_NoMatchingRecords_MentionsCoverageAndCaptureFilter()
    {
        var records = Parse(FlowLogFormat.Default,
            "2 123456789010 eni-1235b8ca123456789 10.0.0.5 10.0.0.6 40000 5432 6 4 336 1432917027 1432917142 ACCEPT OK");

        var diagnosis = ConnectionDiagnoser.Diagnose(Client, Server, 22, 6, records);

        Assert.Equal(DiagnosisVerdict.NoRecords, diagnosis.Verdict);
        Assert.Contains(diagnosis.NextSteps, s => s.Contains("traffic type", StringComparison.Ordinal));
        Assert.Contains(diagnosis.NextSteps, s => s.Contains("flow log covers", StringComparison.Ordinal));
    }

    [Fact]
    public void Diagnose_RequestAcceptedNoReply_NoReplySeen()
    {
        var records = Parse(FlowLogFormat.Parse(V5),
            "5 eni-0a1b2c3d4e5f60718 203.0.113.12 172.31.16.139 51000 8080 6 3 180 1764115212 1764115220 ACCEPT OK ingress 2");

        Assert.Equal(DiagnosisVerdict.NoReplySeen, ConnectionDiagnoser.Diagnose(Client, Server, 8080, 6, records).Verdict);
    }

    [Fact]
    public void Diagnose_OutboundRequestRejected_PointsAtEgressRules()
    {
        var records = Parse(FlowLogFormat.Parse(V5),
            "5 eni-0a1b2c3d4e5f60718 203.0.113.12 172.31.16.139 51000 443 6 1 60 1764115212 1764115212 REJECT OK egress 2");

        var diagnosis = ConnectionDiagnoser.Diagnose(Client, Server, 443, 6, records);

        Assert.Equal(DiagnosisVerdict.RequestRejected, diagnosis.Verdict);
        Assert.Contains("outbound rules", diagnosis.Conclusion, StringComparison.Ordinal);
        Assert.Contains(diagnosis.NextSteps, s => s.Contains("outbound network ACL", StringComparison.Ordinal));
    }

    private static List<FlowObservation> Parse(FlowLogFormat format, params string[] lines)
    {
        var parser = new FlowLogParser(format);
        var result = new List<FlowObservation>();
        for (var i = 0; i < lines.Length; i++)
        {
            Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(lines[i]), i + 1, out var record, out var malformed), malformed.ToString());
            result.Add(FlowObservation.From(in record));
        }
        return result;
    }
}
