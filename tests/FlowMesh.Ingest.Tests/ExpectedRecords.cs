using FlowMesh.FlowLogs;

namespace FlowMesh.Ingest.Tests;

/// <summary>Brute-force expectations: split a default-format v2 line by spaces and compare field by field.</summary>
public static class ExpectedRecords
{
    public static void AssertMatches(string line, FlowRecord record)
    {
        var f = line.Split(' ');
        Assert.Equal(14, f.Length);
        Assert.Equal(int.Parse(f[0]), record.Version);
        Assert.Equal(f[1], record.AccountId);
        Assert.Equal(f[2], record.InterfaceId);
        Assert.Equal(f[3], record.SrcAddr.ToString());
        Assert.Equal(f[4], record.DstAddr.ToString());
        Assert.Equal(f[5] == "-" ? 0 : int.Parse(f[5]), record.SrcPort);
        Assert.Equal(f[6] == "-" ? 0 : int.Parse(f[6]), record.DstPort);
        Assert.Equal(f[7] == "-" ? 0 : int.Parse(f[7]), record.Protocol);
        Assert.Equal(f[8] == "-" ? 0 : long.Parse(f[8]), record.Packets);
        Assert.Equal(f[9] == "-" ? 0 : long.Parse(f[9]), record.Bytes);
        Assert.Equal(long.Parse(f[10]), record.Start);
        Assert.Equal(long.Parse(f[11]), record.End);
        Assert.Equal(f[12] switch { "ACCEPT" => FlowAction.Accept, "REJECT" => FlowAction.Reject, _ => FlowAction.None }, record.Action);
        Assert.Equal(f[13] switch { "OK" => LogStatus.Ok, "NODATA" => LogStatus.NoData, "SKIPDATA" => LogStatus.SkipData, _ => LogStatus.None }, record.LogStatus);
    }

    public static void AssertAll(IReadOnlyList<string> lines, IReadOnlyList<FlowRecord> records)
    {
        Assert.Equal(lines.Count, records.Count);
        for (var i = 0; i < lines.Count; i++)
            AssertMatches(lines[i], records[i]);
    }

    public static string[] SampleLines() =>
        [.. File.ReadAllLines(SharedSamples.Path("default-v2.log")).Where(line => line.Trim().Length > 0)];
}
