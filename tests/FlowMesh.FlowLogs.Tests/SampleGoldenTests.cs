using System.Text;

namespace FlowMesh.FlowLogs.Tests;

/// <summary>Every shared sample, parsed and checked value by value against the text of the file.</summary>
public sealed class SampleGoldenTests
{
    private static readonly FlowAddress Eni15 = FlowAddress.Parse("10.0.1.15");

    private static FlowFieldSet Fields(params FlowField[] fields) => new(fields.Aggregate(0UL, (bits, f) => bits | (1UL << (int)f)));

    private static readonly FlowFieldSet AllV2 = FlowLogFormat.Default.FieldSet;

    private static FlowRecord V2(string eni, string src, string dst, int srcPort, int dstPort, int protocol,
        long packets, long bytes, long start, long end, FlowAction action) => new()
        {
            Present = AllV2, Version = 2, AccountId = "123456789012", InterfaceId = eni,
            SrcAddr = FlowAddress.Parse(src), DstAddr = FlowAddress.Parse(dst), SrcPort = srcPort, DstPort = dstPort,
            Protocol = protocol, Packets = packets, Bytes = bytes, Start = start, End = end, Action = action, LogStatus = LogStatus.Ok,
        };

    private static FlowRecord NoTraffic(string eni, LogStatus status) => new()
    {
        Present = Fields(FlowField.Version, FlowField.AccountId, FlowField.InterfaceId, FlowField.Start, FlowField.End, FlowField.LogStatus),
        Version = 2, AccountId = "123456789012", InterfaceId = eni, Start = 1764115200, End = 1764115260, LogStatus = status,
    };

    /// <summary>The nine records of default-v2.log, written out from the file by hand.</summary>
    public static FlowRecord[] DefaultV2Records { get; } =
    [
        V2("eni-0a1b2c3d4e5f60718", "10.0.1.15", "172.217.14.206", 49152, 443, 6, 24, 8420, 1764115200, 1764115260, FlowAction.Accept),
        V2("eni-0a1b2c3d4e5f60718", "172.217.14.206", "10.0.1.15", 443, 49152, 6, 30, 41200, 1764115200, 1764115260, FlowAction.Accept),
        V2("eni-0a1b2c3d4e5f60718", "198.51.100.23", "10.0.1.15", 51514, 22, 6, 3, 180, 1764115205, 1764115259, FlowAction.Reject),
        V2("eni-0a1b2c3d4e5f60718", "203.0.113.77", "10.0.1.15", 61000, 3389, 6, 2, 120, 1764115210, 1764115230, FlowAction.Reject),
        V2("eni-0fedcba9876543210", "10.0.2.40", "10.0.1.15", 40112, 5432, 6, 110, 96000, 1764115200, 1764115260, FlowAction.Accept),
        V2("eni-0fedcba9876543210", "10.0.2.40", "8.8.8.8", 53211, 53, 17, 1, 74, 1764115201, 1764115201, FlowAction.Accept),
        V2("eni-0fedcba9876543210", "10.0.2.40", "192.0.2.10", 0, 0, 1, 4, 336, 1764115220, 1764115240, FlowAction.Accept),
        NoTraffic("eni-0123456789abcdef0", LogStatus.NoData),
        NoTraffic("eni-0123456789abcdef1", LogStatus.SkipData),
    ];

    private static RecordingSink ParseFile(string fileName, FlowLogFormat format, out FlowLogParser parser)
    {
        parser = new FlowLogParser(format);
        var sink = new RecordingSink();
        var lineNumber = 0;
        parser.ParseText(SharedSamples.Read(fileName), sink, ref lineNumber);
        return sink;
    }

    [Fact]
    public void ParseText_DefaultV2Sample_YieldsTheNineRecordsExactly()
    {
        var sink = ParseFile("default-v2.log", FlowLogFormat.Default, out _);

        Assert.Empty(sink.Malformed);
        Assert.Equal(DefaultV2Records.Length, sink.Records.Count);
        for (var i = 0; i < DefaultV2Records.Length; i++)
            RecordAssert.Equal(DefaultV2Records[i], sink.Records[i], $"line {i + 1}: ");
        Assert.True(sink.Records[7].IsNoTraffic);
        Assert.Same(sink.Records[0].InterfaceId, sink.Records[1].InterfaceId);
    }

    [Fact]
    public void ParseText_CustomV5SampleWithHeader_SwitchesToTheHeaderFormat()
    {
        var sink = ParseFile("custom-v5-with-header.log", FlowLogFormat.Default, out var parser);

        Assert.Empty(sink.Malformed);
        Assert.Equal(4, sink.Records.Count);
        var header = Encoding.UTF8.GetString(SharedSamples.Read("custom-v5-with-header.log")).Split('\n')[0];
        Assert.Equal(header, parser.Format.ToHeaderLine());
        Assert.Equal(5, parser.Format.Version);
        Assert.Equal(25, parser.Format.Fields.Count);

        var first = sink.Records[0];
        var expected = new FlowRecord
        {
            Present = parser.Format.FieldSet.Without(FlowField.PktSrcAwsService),
            Version = 5, VpcId = "vpc-0a1b2c3d4e5f67890", SubnetId = "subnet-0aa11bb22cc33dd44", InstanceId = "i-0123456789abcdef0",
            InterfaceId = "eni-0a1b2c3d4e5f60718", AccountId = "123456789012", Type = TrafficType.IPv4,
            SrcAddr = Eni15, DstAddr = FlowAddress.Parse("52.95.110.1"), SrcPort = 40000, DstPort = 443,
            PktSrcAddr = Eni15, PktDstAddr = FlowAddress.Parse("52.95.110.1"), Protocol = 6, Bytes = 5120, Packets = 12,
            Start = 1764115200, End = 1764115260, Action = FlowAction.Accept, TcpFlags = 3, LogStatus = LogStatus.Ok,
            FlowDirection = FlowDirection.Egress, TrafficPath = 8, PktDstAwsService = "S3",
        };
        RecordAssert.Equal(expected, first);

        var reply = sink.Records[1];
        Assert.Equal(19, reply.TcpFlags);
        Assert.Equal(FlowDirection.Ingress, reply.FlowDirection);
        Assert.False(reply.Has(FlowField.TrafficPath));
        Assert.Equal("S3", reply.PktSrcAwsService);
        Assert.False(reply.Has(FlowField.PktDstAwsService));
        Assert.Equal(900000, reply.Bytes);
        Assert.Equal(640, reply.Packets);

        var nat = sink.Records[2];
        Assert.False(nat.Has(FlowField.InstanceId));
        Assert.Null(nat.InstanceId);
        Assert.Equal("eni-0f00d0000000000a1", nat.InterfaceId);
        Assert.Equal(FlowAddress.Parse("10.0.3.9"), nat.SrcAddr);
        Assert.Equal(FlowAddress.Parse("10.0.7.21"), nat.PktSrcAddr);
        Assert.Equal(2, nat.TcpFlags);
        Assert.Equal(8, nat.TrafficPath);

        var rejected = sink.Records[3];
        Assert.Equal(FlowAction.Reject, rejected.Action);
        Assert.Equal(18, rejected.TcpFlags);
        Assert.Equal((int)TcpControlBits.SynAck, rejected.TcpFlags);
        Assert.Equal(2, rejected.TrafficPath);
        Assert.Equal(FlowAddress.Parse("203.0.113.12"), rejected.DstAddr);
    }

    [Fact]
    public void ParseText_CustomV8SampleWithItsFormatString_ReadsIPv6EcsAndBpa()
    {
        var text = Encoding.UTF8.GetString(SharedSamples.Read("custom-v8-ipv6.log"));
        var format = FlowLogFormat.Parse(text.Split('\n')[0]);
        Assert.Equal(8, format.Version);

        // The first line is the format string; read with that format, it is taken as the header it is.
        var sink = ParseFile("custom-v8-ipv6.log", format, out var parser);

        Assert.Empty(sink.Malformed);
        Assert.Equal(format, parser.Format);
        Assert.Equal(3, sink.Records.Count);
        var web = sink.Records[0];
        Assert.Equal(8, web.Version);
        Assert.Equal(FlowAddress.Parse("2001:db8:1234:1a00::15"), web.SrcAddr);
        Assert.Equal("2001:db8:1234:1a00::15", web.SrcAddr.ToString());
        Assert.Equal(0x20010db812341a00UL, web.SrcAddr.High);
        Assert.Equal(0x15UL, web.SrcAddr.Low);
        Assert.Equal("2001:db8:ffff::9", web.DstAddr.ToString());
        Assert.Equal(443, web.SrcPort);
        Assert.Equal(50322, web.DstPort);
        Assert.Equal(61000, web.Bytes);
        Assert.Equal(TrafficType.IPv6, web.Type);
        Assert.Equal("us-east-1", web.Region);
        Assert.Equal("use1-az2", web.AzId);
        Assert.Equal("web-cluster", web.EcsClusterName);
        Assert.False(web.Has(FlowField.RejectReason));

        var bpa = sink.Records[1];
        Assert.Equal("2a05:d018:ab:cd00::1", bpa.SrcAddr.ToString());
        Assert.Equal(FlowAction.Reject, bpa.Action);
        Assert.Equal("BPA", bpa.RejectReason);
        Assert.False(bpa.Has(FlowField.EcsClusterName));

        var v4 = sink.Records[2];
        Assert.Equal(TrafficType.IPv4, v4.Type);
        Assert.True(v4.SrcAddr.IsIPv4);
        Assert.Equal("198.51.100.50", v4.SrcAddr.ToString());
        Assert.False(v4.Has(FlowField.RejectReason));
    }

    [Fact]
    public void Decode_FirehoseDirectSample_YieldsTheRecordsOfDefaultV2()
    {
        var decoder = new FlowPayloadDecoder(FlowLogFormat.Default);
        var sink = new RecordingSink();

        var records = SharedSamples.FirehoseRecords("firehose-direct.json");
        foreach (var data in records) decoder.Decode(data, sink);

        Assert.Equal(9, records.Count);
        Assert.Empty(sink.Malformed);
        Assert.Equal(0, sink.ControlMessages);
        Assert.Equal(DefaultV2Records.Length, sink.Records.Count);
        for (var i = 0; i < DefaultV2Records.Length; i++)
            RecordAssert.Equal(DefaultV2Records[i], sink.Records[i], $"record {i}: ");
    }

    [Fact]
    public void Decode_FirehoseCloudWatchSample_YieldsFourRecordsAndOneControlMessage()
    {
        var decoder = new FlowPayloadDecoder(FlowLogFormat.Default);
        var sink = new RecordingSink();

        var records = SharedSamples.FirehoseRecords("firehose-cwl.json");
        Assert.All(records, data => Assert.Equal([0x1F, 0x8B], data[..2]));
        decoder.Decode(records[0], sink);
        Assert.Equal(4, decoder.LineCount);
        decoder.Decode(records[1], sink);

        Assert.Equal(2, records.Count);
        Assert.Empty(sink.Malformed);
        Assert.Equal(1, sink.ControlMessages);
        Assert.Equal(4, sink.Records.Count);
        for (var i = 0; i < 4; i++)
            RecordAssert.Equal(DefaultV2Records[i], sink.Records[i], $"event {i}: ");
    }
}
