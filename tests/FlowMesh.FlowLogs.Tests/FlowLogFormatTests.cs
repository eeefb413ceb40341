using System.Text;

namespace FlowMesh.FlowLogs.Tests;

public sealed class FlowLogFormatTests
{
    private const string DefaultText =
        "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}";

    [Fact]
    public void Default_Always_IsTheFourteenV2FieldsInAwsOrder()
    {
        var format = FlowLogFormat.Default;

        Assert.Equal(FlowFieldInfo.All.Take(14), format.Fields);
        Assert.Equal(2, format.Version);
        Assert.Equal(DefaultText, format.ToFormatString());
        Assert.Equal(DefaultText.Replace("${", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), format.ToHeaderLine());
    }

    [Fact]
    public void Parse_DefaultText_EqualsDefault()
    {
        var parsed = FlowLogFormat.Parse(DefaultText);

        Assert.Equal(FlowLogFormat.Default, parsed);
        Assert.True(parsed == FlowLogFormat.Default);
        Assert.Equal(FlowLogFormat.Default.GetHashCode(), parsed.GetHashCode());
    }

    [Theory]
    [InlineData("${version} ${vpc-id} ${interface-id} ${srcaddr} ${dstaddr} ${action} ${flow-direction} ${traffic-path}", 5)]
    [InlineData("${srcaddr}", 2)]
    [InlineData("${tcp-flags} ${srcaddr}", 3)]
    [InlineData("${az-id}", 4)]
    [InlineData("${ecs-task-id} ${version}", 7)]
    [InlineData("${reject-reason} ${ecs-task-id}", 8)]
    public void Parse_CustomFormat_VersionIsHighestFieldVersion(string text, int version)
    {
        var format = FlowLogFormat.Parse(text);

        Assert.Equal(version, format.Version);
        Assert.Equal(text, format.ToFormatString());
        Assert.Equal(text.Split(' ').Length, format.Fields.Count);
    }

    [Fact]
    public void Parse_FieldOrder_IsKeptAndMatters()
    {
        var a = FlowLogFormat.Parse("${srcaddr} ${dstaddr}");
        var b = FlowLogFormat.Parse("${dstaddr} ${srcaddr}");

        Assert.Equal([FlowField.SrcAddr, FlowField.DstAddr], a.Fields);
        Assert.NotEqual(a, b);
        Assert.True(a != b);
        Assert.Equal(a.FieldSet, b.FieldSet);
    }

    [Fact]
    public void Parse_UnknownField_NamesItAndItsPosition()
    {
        var e = Assert.Throws<FlowLogFormatException>(() => FlowLogFormat.Parse("${version} ${srcaddr} ${foo} ${dstaddr}"));

        Assert.StartsWith("unknown field '${foo}' at position 3 of the format; known fields: version, account-id, interface-id,", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("ecs-task-id, reject-reason", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<FormatException>(e);
    }

    [Fact]
    public void Parse_DuplicateField_IsRejectedWithPosition()
    {
        var e = Assert.Throws<FlowLogFormatException>(() => FlowLogFormat.Parse("${version} ${srcaddr} ${srcaddr}"));

        Assert.Equal("duplicate field '${srcaddr}' at position 3 of the format; each field may appear once.", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n")]
    public void Parse_Empty_IsRejected(string text)
    {
        var e = Assert.Throws<FlowLogFormatException>(() => FlowLogFormat.Parse(text));

        Assert.StartsWith("The flow-log format is empty", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${version} srcaddr", "'srcaddr' at position 2 of the format is not written as ${field-name}")]
    [InlineData("{version}", "'{version}' at position 1 of the format is not written as ${field-name}")]
    [InlineData("${}", "'${}' at position 1 of the format is not written as ${field-name}")]
    [InlineData("${Version}", "unknown field '${Version}' at position 1 of the format")]
    public void Parse_MalformedToken_IsRejectedWithPosition(string text, string expectedStart)
    {
        var e = Assert.Throws<FlowLogFormatException>(() => FlowLogFormat.Parse(text));

        Assert.StartsWith(expectedStart, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFields_Duplicate_Throws()
    {
        Assert.Throws<FlowLogFormatException>(() => FlowLogFormat.FromFields([FlowField.Bytes, FlowField.Bytes]));
        Assert.Throws<FlowLogFormatException>(() => FlowLogFormat.FromFields([]));
    }

    [Theory]
    [InlineData("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status", true)]
    [InlineData("  srcaddr dstaddr\r", true)]
    [InlineData("${srcaddr} ${dstaddr}", true)]
    [InlineData("srcaddr dstaddr srcaddr", false)]
    [InlineData("srcaddr dstaddr nosuch", false)]
    [InlineData("2 123456789012 eni-1 - - - - - - - 1 2 - NODATA", false)]
    [InlineData("", false)]
    [InlineData("${}", false)]
    public void TryParseHeader_Line_RecognisesOnlyKnownDistinctNames(string line, bool expected)
    {
        var ok = FlowLogFormat.TryParseHeader(Encoding.UTF8.GetBytes(line), out var format);

        Assert.Equal(expected, ok);
        Assert.Equal(expected, format is not null);
    }

    [Fact]
    public void TryParseHeader_DefaultHeader_ReturnsDefaultInstance()
    {
        Assert.True(FlowLogFormat.TryParseHeader(Encoding.UTF8.GetBytes(FlowLogFormat.Default.ToHeaderLine()), out var format));
        Assert.Same(FlowLogFormat.Default, format);
    }

    [Fact]
    public void TryParseHeader_AllFortyFields_RoundTripsThroughHeaderLine()
    {
        var all = FlowLogFormat.FromFields(FlowFieldInfo.All.Reverse());

        Assert.True(FlowLogFormat.TryParseHeader(Encoding.UTF8.GetBytes(all.ToHeaderLine()), out var parsed));
        Assert.Equal(all, parsed);
        Assert.Equal(8, parsed!.Version);
        Assert.Equal(FlowField.RejectReason, parsed.Fields[0]);
        Assert.Equal(all, FlowLogFormat.Parse(all.ToFormatString()));
    }
}
