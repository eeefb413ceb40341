using FlowMesh.FlowLogs;

namespace FlowMesh.LoadTest;

/// <summary>
/// What the server's exact totals must grow by, summed straight from the generated records (no
/// FlowMesh aggregation code involved): NODATA/SKIPDATA count as such, every other record is one
/// flow with its packets and bytes, split by action.
/// </summary>
internal sealed class ExpectedTotals
{
    public long Flows { get; private set; }
    public long Packets { get; private set; }
    public long Bytes { get; private set; }
    public long AcceptedFlows { get; private set; }
    public long RejectedFlows { get; private set; }
    public long NoDataRecords { get; private set; }
    public long SkipDataRecords { get; private set; }

    public void Add(in FlowRecord r)
    {
        if (r.Has(FlowField.LogStatus) && r.LogStatus == LogStatus.NoData) { NoDataRecords++; return; }
        if (r.Has(FlowField.LogStatus) && r.LogStatus == LogStatus.SkipData) { SkipDataRecords++; return; }
        Flows++;
        Packets += r.Has(FlowField.Packets) ? r.Packets : 0;
        Bytes += r.Has(FlowField.Bytes) ? r.Bytes : 0;
        if (!r.Has(FlowField.Action)) return;
        if (r.Action == FlowAction.Accept) AcceptedFlows++;
        else if (r.Action == FlowAction.Reject) RejectedFlows++;
    }

    public IReadOnlyDictionary<string, long> ToDictionary() => new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["flows"] = Flows, ["packets"] = Packets, ["bytes"] = Bytes, ["acceptedFlows"] = AcceptedFlows,
        ["rejectedFlows"] = RejectedFlows, ["noDataRecords"] = NoDataRecords, ["skipDataRecords"] = SkipDataRecords,
    };
}
