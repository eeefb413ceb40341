using FlowMesh.FlowLogs;

namespace FlowMesh.Traffic.Tests;

public sealed class TrafficGeneratorTests
{
    [Fact]
    public void Records_SameSeed_SameRecords_DifferentSeed_Different()
    {
        static string[] Lines(int seed) =>
            [.. new TrafficGenerator(SyntheticEstate.Create(seed), seed).Records(2000, () => 1_764_115_260).Select(r => FlowRecordFormatter.FormatLine(in r, FlowLogFormat.Default))];

        Assert.Equal(Lines(5), Lines(5));
        Assert.NotEqual(Lines(5), Lines(6));
    }

    [Fact]
    public void Records_RealisticMix_HasTheDocumentedActors()
    {
        var estate = SyntheticEstate.Create(1);
        var records = new TrafficGenerator(estate, 1).Records(20_000, () => 1_764_115_260).ToList();

        Assert.Equal(20_000, records.Count);
        Assert.Contains(records, r => r.SrcAddr == estate.SshAttacker && r.DstPort == 22 && r.Action == FlowAction.Reject);
        Assert.Contains(records, r => r.SrcAddr == estate.RdpScanner && r.DstPort == 3389 && r.Action == FlowAction.Reject);
        Assert.DoesNotContain(records, r => r.SrcAddr == estate.SshAttacker && r.Action == FlowAction.Accept);
        Assert.Contains(records, r => r.LogStatus == LogStatus.NoData);
        Assert.Contains(records, r => r.Protocol == 17 && r.DstPort == 53);
        Assert.Contains(records, r => r.DstPort == 5432 && r.Action == FlowAction.Accept);
        Assert.All(records, r => Assert.True(r.Start <= r.End && r.End <= 1_764_115_260));
        // Zipf popularity: the most popular client appears far more often than the median one.
        var counts = records.Where(r => estate.InternetClients.Contains(r.SrcAddr)).GroupBy(r => r.SrcAddr).Select(g => g.Count()).OrderDescending().ToArray();
        Assert.True(counts[0] > 10 * counts[counts.Length / 2], $"top {counts[0]}, median {counts[counts.Length / 2]}");
        // Every line the generator makes parses back to the same record in the default format.
        var parser = new FlowLogParser(FlowLogFormat.Default);
        foreach (var r in records.Take(500))
        {
            var line = FlowRecordFormatter.FormatLine(in r, FlowLogFormat.Default);
            Assert.True(parser.TryParse(System.Text.Encoding.UTF8.GetBytes(line), 1, out var parsed, out var bad), bad.ToString());
            Assert.Equal(line, FlowRecordFormatter.FormatLine(in parsed, FlowLogFormat.Default));
        }
    }
}
