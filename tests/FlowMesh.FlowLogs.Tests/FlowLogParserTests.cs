using System.Text;

namespace FlowMesh.FlowLogs.Tests;

/// <summary>Hand-built lines: every field, every version, '-' everywhere, and what makes a value invalid.</summary>
public sealed class FlowLogParserTests
{
    private static readonly FlowLogFormat AllFields = FlowLogFormat.FromFields(FlowFieldInfo.All);

    /// <summary>One valid value per field, in table order, with the record it must produce.</summary>
    private const string AllFieldsLine =
        "8 123456789012 eni-0a1b2c3d 10.0.0.1 2001:db8::7 1024 443 6 12 3400 1700000000 1700000060 ACCEPT OK " +
        "vpc-11 subnet-22 i-33 19 IPv6 192.168.1.1 ::ffff:10.0.0.9 eu-west-1 euw1-az3 outpost op-0123 " +
        "AMAZON S3 egress 7 arn:aws:ecs:eu-west-1:123456789012:cluster/web web arn:aws:ecs:ci/1 ci-1 " +
        "c0ffee c0ffee2 web-svc arn:aws:ecs:td/web:3 arn:aws:ecs:task/abc abc BPA";

    private static FlowRecord AllFieldsRecord() => new()
    {
        Present = AllFields.FieldSet,
        Version = 8, AccountId = "123456789012", InterfaceId = "eni-0a1b2c3d",
        SrcAddr = FlowAddress.FromIPv4(0x0A000001), DstAddr = new FlowAddress(0x20010db800000000, 7, 6),
        SrcPort = 1024, DstPort = 443, Protocol = 6, Packets = 12, Bytes = 3400, Start = 1700000000, End = 1700000060,
        Action = FlowAction.Accept, LogStatus = LogStatus.Ok,
        VpcId = "vpc-11", SubnetId = "subnet-22", InstanceId = "i-33", TcpFlags = 19, Type = TrafficType.IPv6,
        PktSrcAddr = FlowAddress.FromIPv4(0xC0A80101), PktDstAddr = new FlowAddress(0, 0x0000ffff0a000009, 6),
        Region = "eu-west-1", AzId = "euw1-az3", SublocationType = "outpost", SublocationId = "op-0123",
        PktSrcAwsService = "AMAZON", PktDstAwsService = "S3", FlowDirection = FlowDirection.Egress, TrafficPath = 7,
        EcsClusterArn = "arn:aws:ecs:eu-west-1:123456789012:cluster/web", EcsClusterName = "web",
        EcsContainerInstanceArn = "arn:aws:ecs:ci/1", EcsContainerInstanceId = "ci-1", EcsContainerId = "c0ffee",
        EcsSecondContainerId = "c0ffee2", EcsServiceName = "web-svc", EcsTaskDefinitionArn = "arn:aws:ecs:td/web:3",
        EcsTaskArn = "arn:aws:ecs:task/abc", EcsTaskId = "abc", RejectReason = "BPA",
    };

    [Fact]
    public void TryParse_EveryFieldOfEveryVersion_ReadsEachValue()
    {
        var record = RecordAssert.Good(AllFieldsLine, AllFields);

        RecordAssert.Equal(AllFieldsRecord(), record);
        Assert.Equal(FlowFieldInfo.Count, record.Present.Count);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    public void TryParse_FieldsOfOneVersion_ReadsThemInReverseOrder(int version)
    {
        var values = AllFieldsLine.Split(' ');
        var indexes = Enumerable.Range(0, FlowFieldInfo.Count).Where(i => FlowFieldInfo.Version((FlowField)i) == version).Reverse().ToArray();
        var format = FlowLogFormat.FromFields(indexes.Select(i => (FlowField)i));
        var line = string.Join(' ', indexes.Select(i => values[i]));

        var record = RecordAssert.Good(line, format);

        Assert.Equal(version, format.Version);
        var full = AllFieldsRecord();
        foreach (var field in FlowFieldInfo.All)
        {
            var expected = format.FieldSet.Contains(field) ? FlowRecordFormatter.FormatValue(in full, field) : "-";
            Assert.Equal(expected, FlowRecordFormatter.FormatValue(in record, field));
        }
        Assert.Equal(format.FieldSet, record.Present);
    }

    [Fact]
    public void TryParse_DashInEveryField_AllAbsent()
    {
        var line = string.Join(' ', Enumerable.Repeat("-", FlowFieldInfo.Count));

        var record = RecordAssert.Good(line, AllFields);

        Assert.Equal(FlowFieldSet.Empty, record.Present);
        Assert.Equal(default, record);
    }

    [Fact]
    public void TryParse_DashInEachFieldInTurn_OnlyThatFieldAbsent()
    {
        var values = AllFieldsLine.Split(' ');
        for (var i = 0; i < values.Length; i++)
        {
            var copy = (string[])values.Clone();
            copy[i] = "-";

            var record = RecordAssert.Good(string.Join(' ', copy), AllFields);

            Assert.Equal(AllFields.FieldSet.Without((FlowField)i), record.Present);
            Assert.Equal("-", FlowRecordFormatter.FormatValue(in record, (FlowField)i));
        }
    }

    [Theory]
    [InlineData("2 123456789012 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA", LogStatus.NoData)]
    [InlineData("2 unknown eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - SKIPDATA", LogStatus.SkipData)]
    public void TryParse_NoTrafficRecords_KeepOnlyTimesAndStatus(string line, LogStatus status)
    {
        var record = RecordAssert.Good(line);

        Assert.Equal(status, record.LogStatus);
        Assert.True(record.IsNoTraffic);
        Assert.Equal(1431280876, record.Start);
        Assert.Equal(1431280934, record.End);
        Assert.Equal(FlowAction.None, record.Action);
        Assert.True(record.SrcAddr.IsAbsent);
        Assert.Equal(6, record.Present.Count);
    }

    [Fact]
    public void TryParse_AwsDocumentationExample_ReadsIt()
    {
        var record = RecordAssert.Good("2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK");

        Assert.Equal("172.31.16.139", record.SrcAddr.ToString());
        Assert.Equal(20641, record.SrcPort);
        Assert.Equal(4249, record.Bytes);
        Assert.Equal(FlowAction.Accept, record.Action);
    }

    [Theory]
    [InlineData(FlowField.Version, "x2", "expected a non-negative version number, found 'x2'")]
    [InlineData(FlowField.AccountId, "12345678901", "expected a 12-digit account id or 'unknown', found '12345678901'")]
    [InlineData(FlowField.AccountId, "12345678901a", "expected a 12-digit account id or 'unknown', found '12345678901a'")]
    [InlineData(FlowField.AccountId, "UNKNOWN", "expected a 12-digit account id or 'unknown', found 'UNKNOWN'")]
    [InlineData(FlowField.SrcAddr, "10.0.0.256", "expected an IPv4 or IPv6 address, found '10.0.0.256'")]
    [InlineData(FlowField.DstAddr, "fe80::1%eth0", "expected an IPv4 or IPv6 address, found 'fe80::1%eth0'")]
    [InlineData(FlowField.SrcPort, "65536", "expected a port number 0-65535, found '65536'")]
    [InlineData(FlowField.DstPort, "-1", "expected a port number 0-65535, found '-1'")]
    [InlineData(FlowField.Protocol, "256", "expected an IANA protocol number 0-255, found '256'")]
    [InlineData(FlowField.Packets, "-5", "expected a non-negative 64-bit count, found '-5'")]
    [InlineData(FlowField.Bytes, "9223372036854775808", "expected a non-negative 64-bit count, found '9223372036854775808'")]
    [InlineData(FlowField.Start, "17e9", "expected Unix seconds (a 64-bit integer), found '17e9'")]
    [InlineData(FlowField.End, "--1", "expected Unix seconds (a 64-bit integer), found '--1'")]
    [InlineData(FlowField.Action, "accept", "expected ACCEPT or REJECT, found 'accept'")]
    [InlineData(FlowField.LogStatus, "NO_DATA", "expected OK, NODATA or SKIPDATA, found 'NO_DATA'")]
    [InlineData(FlowField.TcpFlags, "300", "expected a tcp-flags bitmask 0-255, found '300'")]
    [InlineData(FlowField.Type, "ipv4", "expected IPv4, IPv6 or EFA, found 'ipv4'")]
    [InlineData(FlowField.FlowDirection, "in", "expected ingress or egress, found 'in'")]
    [InlineData(FlowField.TrafficPath, "0", "expected a traffic path 1-8, found '0'")]
    [InlineData(FlowField.TrafficPath, "9", "expected a traffic path 1-8, found '9'")]
    public void TryParse_InvalidValue_ReportsFieldAndWhatWasWrong(FlowField field, string value, string message)
    {
        var values = AllFieldsLine.Split(' ');
        values[(int)field] = value;
        var line = string.Join(' ', values);

        var bad = RecordAssert.Bad(line, AllFields);

        Assert.Equal(MalformedReason.InvalidValue, bad.Reason);
        Assert.Equal(field, bad.Field);
        Assert.Equal(message, bad.Message);
        Assert.Equal(line[..MalformedLine.MaxTextLength], bad.Text);
    }

    [Theory]
    [InlineData("eni-\u0001x")]
    [InlineData("eni-\u007f")]
    [InlineData("eni-\tx")]
    public void TryParse_ControlCharacterInId_IsInvalidText(string value)
    {
        var bad = RecordAssert.Bad($"2 123456789012 {value} 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK");

        Assert.Equal(MalformedReason.InvalidText, bad.Reason);
        Assert.Equal(FlowField.InterfaceId, bad.Field);
    }

    [Fact]
    public void TryParse_InvalidUtf8InId_IsInvalidTextAndNonAsciiIsAccepted()
    {
        var parser = new FlowLogParser(FlowLogFormat.Parse("${vpc-id} ${srcport}"));
        byte[] invalid = [.. "vpc-"u8, 0xC3, 0x28, .. " 80"u8];

        Assert.False(parser.TryParse(invalid, 3, out _, out var bad));
        Assert.Equal(MalformedReason.InvalidText, bad.Reason);
        Assert.Equal(FlowField.VpcId, bad.Field);
        Assert.Equal(3, bad.LineNumber);

        Assert.True(parser.TryParse(Encoding.UTF8.GetBytes("vpc-é 80"), 4, out var record, out _));
        Assert.Equal("vpc-é", record.VpcId);
    }

    [Theory]
    [InlineData("2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT", 13)]
    [InlineData("2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK extra", 15)]
    [InlineData("2  123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", 15)]
    [InlineData("5 eni-0abc 10.1.2.3 10.4.5.6 443 REJECT", 6)]
    public void TryParse_WrongFieldCount_ReportsExpectedAndFound(string line, int found)
    {
        var bad = RecordAssert.Bad(line);

        Assert.Equal(MalformedReason.FieldCount, bad.Reason);
        Assert.Null(bad.Field);
        Assert.Equal($"expected 14 fields (format {FlowLogFormat.Default.ToFormatString()}), found {found}", bad.Message);
        Assert.Equal(line, bad.Text);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(39)]
    [InlineData(41)]
    [InlineData(100)]
    public void TryParse_FieldCountBeyondTheSeparatorBuffer_IsStillCountedExactly(int found)
    {
        var line = string.Join(' ', Enumerable.Range(0, found).Select(i => i % 7 == 0 ? "a-much-longer-token" : i.ToString(null, null)));

        var bad = RecordAssert.Bad(line, AllFields);

        Assert.Equal(MalformedReason.FieldCount, bad.Reason);
        Assert.EndsWith($"), found {found}", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_SurroundingWhitespaceAndCarriageReturn_AreIgnored()
    {
        var record = RecordAssert.Good("  2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 REJECT OK\r");

        Assert.Equal(FlowAction.Reject, record.Action);
        Assert.Equal("eni-1", record.InterfaceId);
    }

    [Fact]
    public void TryParse_BlankAndOverlongLines_AreReported()
    {
        Assert.Equal(MalformedReason.EmptyLine, RecordAssert.Bad(" \t").Reason);
        var longLine = new string('9', FlowLogParser.MaxLineLength + 1);
        var bad = RecordAssert.Bad(longLine);
        Assert.Equal(MalformedReason.LineTooLong, bad.Reason);
        Assert.Equal(MalformedLine.MaxTextLength, bad.Text.Length);
    }

    [Fact]
    public void ParseText_MixedText_NumbersLinesSkipsBlanksAndReportsEachLine()
    {
        const string text = "\n2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK\r\n   \r\n" +
            "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 99999 6 1 1 1 2 ACCEPT OK\n" +
            "srcaddr dstport\n10.9.9.9 8080\r\n";
        var parser = new FlowLogParser(FlowLogFormat.Default);
        var sink = new RecordingSink();
        var lineNumber = 10;

        parser.ParseText(Encoding.UTF8.GetBytes(text), sink, ref lineNumber);

        Assert.Equal(16, lineNumber);
        Assert.Equal(2, sink.Records.Count);
        Assert.Equal(FlowAddress.Parse("10.9.9.9"), sink.Records[1].SrcAddr);
        Assert.Equal(8080, sink.Records[1].DstPort);
        var bad = Assert.Single(sink.Malformed);
        Assert.Equal(14, bad.LineNumber);
        Assert.Equal(FlowField.DstPort, bad.Field);
        Assert.Equal(FlowLogFormat.Parse("${srcaddr} ${dstport}"), parser.Format);
    }

    [Fact]
    public void TryParse_SameIdsOnManyLines_ShareOneStringInstance()
    {
        var parser = new FlowLogParser(FlowLogFormat.Default);
        var line = Encoding.UTF8.GetBytes("2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK");

        Assert.True(parser.TryParse(line, 1, out var first, out _));
        Assert.True(parser.TryParse(line, 2, out var second, out _));

        Assert.Same(first.InterfaceId, second.InterfaceId);
        Assert.Same(first.AccountId, second.AccountId);
        Assert.Equal(2, parser.Interner.Count);
    }
}
