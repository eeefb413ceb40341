using FlowMesh.FlowLogs;
using FlowMesh.Traffic;

namespace FlowMesh.Cluster.Tests;

/// <summary>Exact totals summed straight from generated records (no FlowMesh aggregation code involved).</summary>
internal sealed record Totals(long Flows, long Packets, long Bytes, long AcceptedFlows, long RejectedFlows, long NoDataRecords, long SkipDataRecords)
{
    public static readonly Totals Zero = new(0, 0, 0, 0, 0, 0, 0);

    public Totals Add(in FlowRecord r)
    {
        if (r.Has(FlowField.LogStatus) && r.LogStatus == LogStatus.NoData) return this with { NoDataRecords = NoDataRecords + 1 };
        if (r.Has(FlowField.LogStatus) && r.LogStatus == LogStatus.SkipData) return this with { SkipDataRecords = SkipDataRecords + 1 };
        return this with
        {
            Flows = Flows + 1,
            Packets = Packets + (r.Has(FlowField.Packets) ? r.Packets : 0),
            Bytes = Bytes + (r.Has(FlowField.Bytes) ? r.Bytes : 0),
            AcceptedFlows = AcceptedFlows + (r.Has(FlowField.Action) && r.Action == FlowAction.Accept ? 1 : 0),
            RejectedFlows = RejectedFlows + (r.Has(FlowField.Action) && r.Action == FlowAction.Reject ? 1 : 0),
        };
    }

    public static Totals From(Contracts.V1.TrafficTotals t) =>
        new(t.Flows, t.Packets, t.Bytes, t.AcceptedFlows, t.RejectedFlows, t.NoDataRecords, t.SkipDataRecords);
}

/// <summary>
/// A reproducible synthetic replay: realistic flow records timestamped now, in the default v2
/// format, cut into Firehose requests; with the exact totals overall and per interface.
/// </summary>
internal sealed class ReplayDataSet
{
    private ReplayDataSet(IReadOnlyList<FirehoseBatch> batches, Totals all, IReadOnlyDictionary<string, Totals> perInterface)
    {
        Batches = batches;
        All = all;
        PerInterface = perInterface;
    }

    public IReadOnlyList<FirehoseBatch> Batches { get; }

    public Totals All { get; }

    public IReadOnlyDictionary<string, Totals> PerInterface { get; }

    public long Records => Batches.Sum(b => (long)b.Records);

    public static ReplayDataSet Create(int seed, int records, int maxBodyBytes)
    {
        var generator = new TrafficGenerator(SyntheticEstate.Create(seed), seed);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var all = Totals.Zero;
        var perInterface = new Dictionary<string, Totals>(StringComparer.Ordinal);
        var lines = new List<string>(records);
        foreach (var record in generator.Records(records, () => now))
        {
            all = all.Add(record);
            var eni = record.InterfaceId!;
            perInterface[eni] = perInterface.GetValueOrDefault(eni, Totals.Zero).Add(record);
            lines.Add(FlowRecordFormatter.FormatLine(in record, FlowLogFormat.Default));
        }
        var batches = FirehoseBatchBuilder.Build(lines, maxBodyBytes, gzip: true).ToList();
        return new ReplayDataSet(batches, all, perInterface);
    }
}
