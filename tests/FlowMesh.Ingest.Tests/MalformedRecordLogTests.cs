using FlowMesh.FlowLogs;
using FlowMesh.Ingest.Firehose;
using Microsoft.Extensions.Options;

namespace FlowMesh.Ingest.Tests;

public sealed class MalformedRecordLogTests
{
    private static MalformedRecordExample Example(int index, MalformedReason reason = MalformedReason.FieldCount, string source = "arn:a") =>
        new(DateTimeOffset.UnixEpoch, source, "req", index, new MalformedLine(reason, 1, null, "m", "t"));

    [Fact]
    public void Recent_MoreThanCapacity_KeepsTheLastNOldestFirst()
    {
        var log = new MalformedRecordLog(Options.Create(new IngestOptions { MalformedExamplesKept = 3 }));

        for (var i = 0; i < 7; i++)
            log.Add(Example(i));

        Assert.Equal([4, 5, 6], log.Recent().Select(example => example.RecordIndex));
        Assert.Equal(7, log.Total);
    }

    [Fact]
    public void Counts_BySourceAndReason_AreExact()
    {
        var log = new MalformedRecordLog(Options.Create(new IngestOptions()));

        log.Add(Example(0, MalformedReason.InvalidValue, "arn:b"));
        log.Add(Example(1, MalformedReason.InvalidValue, "arn:a"));
        log.Add(Example(2, MalformedReason.InvalidValue, "arn:a"));
        log.Add(Example(3, MalformedReason.InvalidBase64, "arn:a"));

        Assert.Equal(
            [("arn:a", MalformedReason.InvalidValue, 2L), ("arn:a", MalformedReason.InvalidBase64, 1L), ("arn:b", MalformedReason.InvalidValue, 1L)],
            log.Counts());
        Assert.Equal(0, log.Count("arn:b", MalformedReason.FieldCount));
    }

    [Fact]
    public void Add_FromManyThreads_CountsEveryExample()
    {
        var log = new MalformedRecordLog(Options.Create(new IngestOptions { MalformedExamplesKept = 10 }));

        Parallel.For(0, 10_000, i => log.Add(Example(i, (MalformedReason)(1 + i % 3))));

        Assert.Equal(10_000, log.Total);
        Assert.Equal(3334, log.Count("arn:a", MalformedReason.FieldCount));
        Assert.Equal(3333, log.Count("arn:a", MalformedReason.InvalidValue));
        Assert.Equal(10, log.Recent().Count);
    }

    [Fact]
    public void Recent_WithZeroCapacity_KeepsNothingButCounts()
    {
        var log = new MalformedRecordLog(Options.Create(new IngestOptions { MalformedExamplesKept = 0 }));

        log.Add(Example(0));

        Assert.Empty(log.Recent());
        Assert.Equal(1, log.Total);
    }
}
