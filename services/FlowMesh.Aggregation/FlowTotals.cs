using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation;

/// <summary>
/// Exact counters of the traffic seen in a bucket or window (no sketching: plain sums, so
/// <see cref="RejectRate"/> is the exact ratio). A mutable value type so a bucket updates it in place
/// without allocating; copy semantics apply when it is read into a local.
/// </summary>
public struct FlowTotals : IEquatable<FlowTotals>
{
    /// <summary>Flow records with traffic (NODATA/SKIPDATA excluded), whatever their action.</summary>
    public long Flows { get; set; }
    public long Packets { get; set; }
    public long Bytes { get; set; }
    public long AcceptedFlows { get; set; }
    public long AcceptedPackets { get; set; }
    public long AcceptedBytes { get; set; }
    public long RejectedFlows { get; set; }
    public long RejectedPackets { get; set; }
    public long RejectedBytes { get; set; }
    /// <summary>Records with log-status NODATA: the interface saw no traffic in the capture window.</summary>
    public long NoDataRecords { get; set; }
    /// <summary>Records with log-status SKIPDATA: AWS skipped records (capacity or internal error), so totals are a floor.</summary>
    public long SkipDataRecords { get; set; }

    /// <summary>RejectedFlows / Flows, or 0 when there were no flows.</summary>
    public readonly double RejectRate => Flows == 0 ? 0 : (double)RejectedFlows / Flows;

    /// <summary>The counter a top-N <see cref="Metric"/> is a share of.</summary>
    public readonly long Of(Metric metric) => metric switch
    {
        Metric.Bytes => Bytes,
        Metric.Packets => Packets,
        Metric.Flows => Flows,
        Metric.RejectedFlows => RejectedFlows,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    public void Add(in FlowTotals other)
    {
        Flows += other.Flows;
        Packets += other.Packets;
        Bytes += other.Bytes;
        AcceptedFlows += other.AcceptedFlows;
        AcceptedPackets += other.AcceptedPackets;
        AcceptedBytes += other.AcceptedBytes;
        RejectedFlows += other.RejectedFlows;
        RejectedPackets += other.RejectedPackets;
        RejectedBytes += other.RejectedBytes;
        NoDataRecords += other.NoDataRecords;
        SkipDataRecords += other.SkipDataRecords;
    }

    /// <summary>
    /// Counts <paramref name="flows"/> flow records carrying the given traffic. An action of
    /// <see cref="FlowAction.None"/> ('-') counts toward the overall totals only.
    /// </summary>
    public void AddFlow(FlowAction action, long packets, long bytes, long flows = 1)
    {
        Flows += flows;
        Packets += packets;
        Bytes += bytes;
        if (action == FlowAction.Accept)
        {
            AcceptedFlows += flows;
            AcceptedPackets += packets;
            AcceptedBytes += bytes;
        }
        else if (action == FlowAction.Reject)
        {
            RejectedFlows += flows;
            RejectedPackets += packets;
            RejectedBytes += bytes;
        }
    }

    /// <summary>Counts one decoded record: NODATA/SKIPDATA by status, anything else as a flow.</summary>
    public void AddRecord(in FlowRecord record)
    {
        switch (record.LogStatus)
        {
            case LogStatus.NoData: NoDataRecords++; break;
            case LogStatus.SkipData: SkipDataRecords++; break;
            default: AddFlow(record.Action, record.Packets, record.Bytes); break;
        }
    }

    public readonly bool Equals(FlowTotals other) =>
        Flows == other.Flows && Packets == other.Packets && Bytes == other.Bytes
        && AcceptedFlows == other.AcceptedFlows && AcceptedPackets == other.AcceptedPackets && AcceptedBytes == other.AcceptedBytes
        && RejectedFlows == other.RejectedFlows && RejectedPackets == other.RejectedPackets && RejectedBytes == other.RejectedBytes
        && NoDataRecords == other.NoDataRecords && SkipDataRecords == other.SkipDataRecords;

    public override readonly bool Equals(object? obj) => obj is FlowTotals other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Flows, Packets, Bytes, RejectedFlows, NoDataRecords, SkipDataRecords);

    public static bool operator ==(FlowTotals left, FlowTotals right) => left.Equals(right);
    public static bool operator !=(FlowTotals left, FlowTotals right) => !left.Equals(right);

    public override readonly string ToString() =>
        $"flows={Flows} packets={Packets} bytes={Bytes} rejected={RejectedFlows} nodata={NoDataRecords} skipdata={SkipDataRecords}";
}
