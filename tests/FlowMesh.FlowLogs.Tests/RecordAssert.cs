namespace FlowMesh.FlowLogs.Tests;

public static class RecordAssert
{
    /// <summary>Field by field (so a failure names the field), then the whole struct.</summary>
    public static void Equal(FlowRecord expected, FlowRecord actual, string? context = null)
    {
        foreach (var field in FlowFieldInfo.All)
        {
            var e = FlowRecordFormatter.FormatValue(in expected, field);
            var a = FlowRecordFormatter.FormatValue(in actual, field);
            Assert.True(e == a, $"{context}field {FlowFieldInfo.Name(field)}: expected '{e}', actual '{a}'");
        }
        Assert.Equal(expected.Present, actual.Present);
        Assert.Equal(expected, actual);
    }

    public static FlowRecord Good(string line, FlowLogFormat? format = null)
    {
        var parser = new FlowLogParser(format ?? FlowLogFormat.Default);
        var ok = parser.TryParse(System.Text.Encoding.UTF8.GetBytes(line), 1, out var record, out var malformed);
        Assert.True(ok, malformed.ToString());
        return record;
    }

    public static MalformedLine Bad(string line, FlowLogFormat? format = null)
    {
        var parser = new FlowLogParser(format ?? FlowLogFormat.Default);
        var ok = parser.TryParse(System.Text.Encoding.UTF8.GetBytes(line), 7, out var record, out var malformed);
        Assert.False(ok);
        Assert.Equal(default, record);
        Assert.Equal(7, malformed.LineNumber);
        Assert.NotEmpty(malformed.Message);
        return malformed;
    }
}
