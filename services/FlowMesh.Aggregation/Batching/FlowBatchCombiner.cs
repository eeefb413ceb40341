using System.Runtime.InteropServices;
using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation.Batching;

/// <summary>
/// Combines decoded flow records into <see cref="FlowRow"/>s keyed by <see cref="FlowRowKey"/>,
/// and collects per-interface metadata. One combiner per Firehose request (records arrive on
/// one thread); the group commit merges request combiners into one flush combiner and then
/// <see cref="Partition()"/>s it so every grain receives exactly one delta per flush.
/// Not thread-safe; reusable after <see cref="Reset"/> (keeps its capacity, so a pooled
/// combiner allocates nothing per record in steady state).
/// </summary>
public sealed class FlowBatchCombiner : IFlowRecordSink
{
    private readonly Dictionary<FlowRowKey, Counters> _rows = new();
    private readonly Dictionary<string, MetadataAccumulator> _interfaces = new(StringComparer.Ordinal);
    private long _arrivalUnixSeconds;

    public FlowBatchCombiner(long arrivalUnixSeconds = 0) => _arrivalUnixSeconds = arrivalUnixSeconds;

    /// <summary>Well-formed records seen (including NODATA/SKIPDATA).</summary>
    public int Records { get; private set; }

    /// <summary>Malformed lines or payloads reported to this combiner.</summary>
    public int Malformed { get; private set; }

    /// <summary>CloudWatch Logs control messages seen.</summary>
    public int ControlMessages { get; private set; }

    /// <summary>Distinct rows after combining.</summary>
    public int RowCount => _rows.Count;

    /// <summary>Distinct interfaces seen.</summary>
    public int InterfaceCount => _interfaces.Count;

    public void Reset(long arrivalUnixSeconds)
    {
        _rows.Clear();
        _interfaces.Clear();
        _arrivalUnixSeconds = arrivalUnixSeconds;
        Records = Malformed = ControlMessages = 0;
    }

    public void OnRecord(in FlowRecord record)
    {
        Records++;
        var hasStart = record.Has(FlowField.Start);
        var hasEnd = record.Has(FlowField.End);
        var start = hasStart ? record.Start : hasEnd ? record.End : _arrivalUnixSeconds;
        var end = hasEnd ? record.End : start;
        var action = record.Has(FlowField.Action) ? record.Action : FlowAction.None;
        var status = record.Has(FlowField.LogStatus) ? record.LogStatus : LogStatus.Ok;
        var packets = record.Has(FlowField.Packets) ? record.Packets : 0;
        var bytes = record.Has(FlowField.Bytes) ? record.Bytes : 0;

        if (record.InterfaceId is { } interfaceId)
            TrackInterface(interfaceId, in record, start, end);

        var dstPort = record.Has(FlowField.DstPort) ? record.DstPort : -1;
        var sourcePort = record.Has(FlowField.SrcPort) ? FlowRowKey.KeptSourcePort(record.SrcPort, dstPort) : -1;
        var rejectReason = action == FlowAction.Reject ? record.RejectReason : null;
        var tcpFlags = record.Has(FlowField.TcpFlags) ? record.TcpFlags : 0;

        var spread = status == LogStatus.Ok ? EventTime.SpreadMinutes(start, end) : 1;
        var firstMinute = EventMinute.FromUnixSeconds(start);
        for (var i = 0; i < spread; i++)
        {
            var key = new FlowRowKey(
                firstMinute + i,
                record.InterfaceId,
                record.AccountId,
                record.VpcId,
                record.SrcAddr,
                record.DstAddr,
                dstPort,
                record.Has(FlowField.Protocol) ? record.Protocol : -1,
                action,
                record.Has(FlowField.FlowDirection) ? record.FlowDirection : FlowDirection.None,
                status,
                sourcePort,
                rejectReason);
            ref var counters = ref CollectionsMarshal.GetValueRefOrAddDefault(_rows, key, out _);
            // The flow (and so a reject) counts once, in the first minute; traffic is spread.
            if (i == 0) counters.Flows++;
            counters.TcpFlags |= tcpFlags;
            counters.Packets += spread == 1 ? packets : EventTime.Share(packets, spread, i);
            counters.Bytes += spread == 1 ? bytes : EventTime.Share(bytes, spread, i);
        }
    }

    public void OnMalformed(in MalformedLine malformed) => Malformed++;

    public void OnControlMessage() => ControlMessages++;

    /// <summary>Adds everything another combiner holds (used to merge requests into one flush).</summary>
    public void MergeFrom(FlowBatchCombiner other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (key, value) in other._rows)
        {
            ref var counters = ref CollectionsMarshal.GetValueRefOrAddDefault(_rows, key, out _);
            counters.Flows += value.Flows;
            counters.Packets += value.Packets;
            counters.Bytes += value.Bytes;
            counters.TcpFlags |= value.TcpFlags;
        }
        foreach (var (id, meta) in other._interfaces)
        {
            ref var mine = ref CollectionsMarshal.GetValueRefOrAddDefault(_interfaces, id, out var exists);
            mine = exists ? mine.Merge(meta) : meta;
        }
        Records += other.Records;
        Malformed += other.Malformed;
        ControlMessages += other.ControlMessages;
    }

    /// <summary>All combined rows.</summary>
    public IEnumerable<FlowRow> Rows => _rows.Select(pair => new FlowRow(pair.Key, pair.Value.Flows, pair.Value.Packets, pair.Value.Bytes, pair.Value.TcpFlags));

    /// <summary>Metadata of every interface seen.</summary>
    public IEnumerable<InterfaceMetadata> Interfaces => _interfaces.Select(pair => pair.Value.ToMetadata(pair.Key));

    /// <summary>Splits the rows per grain key: one delta per interface, per address and per leaderboard scope.</summary>
    public BatchPartition Partition() => Partition(new PartitionBuffers());

    /// <summary>
    /// Splits the rows per grain key into <paramref name="buffers"/>; the partition is valid until the
    /// buffers are used again (the combiner itself may be reset or reused at once).
    /// </summary>
    public BatchPartition Partition(PartitionBuffers buffers)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        var rows = PartitionBuffers.AtLeast(ref buffers.Rows, _rows.Count);
        var i = 0;
        foreach (var (key, value) in _rows) rows[i++] = new FlowRow(key, value.Flows, value.Packets, value.Bytes, value.TcpFlags);
        return BatchPartition.Build(rows.AsMemory(0, i), Interfaces, buffers);
    }

    private void TrackInterface(string interfaceId, in FlowRecord record, long start, long end)
    {
        ref var meta = ref CollectionsMarshal.GetValueRefOrAddDefault(_interfaces, interfaceId, out var exists);
        if (!exists)
        {
            meta.FirstSeen = start;
            meta.LastSeen = end;
        }
        meta.FirstSeen = Math.Min(meta.FirstSeen, start);
        meta.LastSeen = Math.Max(meta.LastSeen, end);
        meta.AccountId = record.AccountId ?? meta.AccountId;
        meta.VpcId = record.VpcId ?? meta.VpcId;
        meta.SubnetId = record.SubnetId ?? meta.SubnetId;
        meta.InstanceId = record.InstanceId ?? meta.InstanceId;
    }

    private struct Counters
    {
        public long Flows;
        public long Packets;
        public long Bytes;
        public int TcpFlags;
    }

    private struct MetadataAccumulator
    {
        public string? AccountId;
        public string? VpcId;
        public string? SubnetId;
        public string? InstanceId;
        public long FirstSeen;
        public long LastSeen;

        public readonly MetadataAccumulator Merge(MetadataAccumulator other) => new()
        {
            AccountId = other.AccountId ?? AccountId,
            VpcId = other.VpcId ?? VpcId,
            SubnetId = other.SubnetId ?? SubnetId,
            InstanceId = other.InstanceId ?? InstanceId,
            FirstSeen = Math.Min(FirstSeen, other.FirstSeen),
            LastSeen = Math.Max(LastSeen, other.LastSeen),
        };

        public readonly InterfaceMetadata ToMetadata(string interfaceId) =>
            new(interfaceId, AccountId, VpcId, SubnetId, InstanceId, FirstSeen, LastSeen);
    }
}
