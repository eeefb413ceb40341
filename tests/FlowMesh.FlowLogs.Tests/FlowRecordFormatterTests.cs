using System.Text;
using System.Text.Json;

namespace FlowMesh.FlowLogs.Tests;

public sealed class FlowRecordFormatterTests
{
    private static string Json(in FlowRecord record)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) FlowRecordFormatter.WriteJson(writer, in record);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void WriteJson_DefaultRecord_UsesAwsNamesNumbersAndStrings()
    {
        var record = RecordAssert.Good("2 123456789012 eni-1 10.0.1.15 2001:DB8::1 49152 443 6 24 8420 1764115200 1764115260 ACCEPT OK");

        Assert.Equal(
            "{\"version\":2,\"account-id\":\"123456789012\",\"interface-id\":\"eni-1\",\"srcaddr\":\"10.0.1.15\",\"dstaddr\":\"2001:db8::1\"," +
            "\"srcport\":49152,\"dstport\":443,\"protocol\":6,\"packets\":24,\"bytes\":8420,\"start\":1764115200,\"end\":1764115260," +
            "\"action\":\"ACCEPT\",\"log-status\":\"OK\"}",
            Json(in record));
    }

    [Fact]
    public void WriteJson_AbsentFields_AreOmitted()
    {
        var record = RecordAssert.Good("2 123456789012 eni-1 - - - - - - - 1 2 - NODATA");

        Assert.Equal("{\"version\":2,\"account-id\":\"123456789012\",\"interface-id\":\"eni-1\",\"start\":1,\"end\":2,\"log-status\":\"NODATA\"}", Json(in record));
    }

    [Fact]
    public void WriteJson_V5Enums_UseAwsText()
    {
        var format = FlowLogFormat.Parse("${type} ${flow-direction} ${traffic-path} ${tcp-flags} ${action} ${reject-reason}");
        var record = RecordAssert.Good("IPv6 ingress 8 19 REJECT BPA", format);

        Assert.Equal("{\"action\":\"REJECT\",\"tcp-flags\":19,\"type\":\"IPv6\",\"flow-direction\":\"ingress\",\"traffic-path\":8,\"reject-reason\":\"BPA\"}", Json(in record));
        using var json = JsonDocument.Parse(Json(in record));
        Assert.Equal("IPv6", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("ingress", json.RootElement.GetProperty("flow-direction").GetString());
        Assert.Equal(8, json.RootElement.GetProperty("traffic-path").GetInt32());
        Assert.Equal(19, json.RootElement.GetProperty("tcp-flags").GetInt32());
        Assert.Equal("REJECT", json.RootElement.GetProperty("action").GetString());
        Assert.Equal("BPA", json.RootElement.GetProperty("reject-reason").GetString());
    }

    [Fact]
    public void FormatLine_NoDataRecord_WritesDashes()
    {
        const string line = "2 123456789012 eni-1 - - - - - - - 1431280876 1431280934 - NODATA";

        Assert.Equal(line, FlowRecordFormatter.FormatLine(RecordAssert.Good(line), FlowLogFormat.Default));
    }

    [Fact]
    public void FormatLine_FieldsOutsideTheRecord_AreDashes()
    {
        var record = RecordAssert.Good("10.0.0.1 ACCEPT", FlowLogFormat.Parse("${srcaddr} ${action}"));

        Assert.Equal("- 10.0.0.1 - ACCEPT", FlowRecordFormatter.FormatLine(in record, FlowLogFormat.Parse("${dstaddr} ${srcaddr} ${vpc-id} ${action}")));
    }
}
