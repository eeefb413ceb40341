using System.IO.Compression;
using FlowMesh.FlowLogs;

namespace FlowMesh.EndToEnd.Tests;

/// <summary>Exact counters of one interface, summed from the file.</summary>
internal sealed class InterfaceFacts
{
    public long Flows { get; set; }
    public long RejectedFlows { get; set; }
    public double RejectRate => Flows == 0 ? 0 : (double)RejectedFlows / Flows;
}

/// <summary>
/// The expected answers, computed from a flow-log file by brute force with the parser alone —
/// independent of the aggregation code. A flow is a record with traffic: NODATA and SKIPDATA
/// records count only as such (the totals' documented meaning).
/// </summary>
internal sealed class FlowLogFileFacts : IFlowRecordSink
{
    public long Records { get; private set; }
    public long Malformed { get; private set; }
    public long Flows { get; private set; }
    public long Packets { get; private set; }
    public long Bytes { get; private set; }
    public long RejectedFlows { get; private set; }
    public long NoDataRecords { get; private set; }
    public long SkipDataRecords { get; private set; }
    public Dictionary<string, long> BytesBySource { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, InterfaceFacts> Interfaces { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, (long Flows, long Bytes)> Vpcs { get; } = new(StringComparer.Ordinal);

    public static FlowLogFileFacts Read(string path, FlowLogFormat format)
    {
        var facts = new FlowLogFileFacts();
        var lineNumber = 0;
        var bytes = File.ReadAllBytes(path);
        if (bytes is [0x1F, 0x8B, ..])
        {
            using var inflated = new MemoryStream();
            using (var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress)) gzip.CopyTo(inflated);
            bytes = inflated.ToArray();
        }
        // A header line (S3 files) switches the parser to the file's own format.
        new FlowLogParser(format).ParseText(bytes, facts, ref lineNumber);
        return facts;
    }

    /// <summary>The exact top <paramref name="count"/> sources by bytes, largest first.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> TopSourcesByBytes(int count) =>
        [.. BytesBySource.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).Take(count)];

    public void OnRecord(in FlowRecord record)
    {
        Records++;
        var eni = record.InterfaceId is { } id ? Interface(id) : null;
        if (record.LogStatus == LogStatus.NoData)
        {
            NoDataRecords++;
            return;
        }
        if (record.LogStatus == LogStatus.SkipData)
        {
            SkipDataRecords++;
            return;
        }
        Flows++;
        Packets += record.Packets;
        Bytes += record.Bytes;
        var rejected = record.Action == FlowAction.Reject;
        if (rejected) RejectedFlows++;
        if (eni is not null)
        {
            eni.Flows++;
            if (rejected) eni.RejectedFlows++;
        }
        if (record.VpcId is { } vpc)
        {
            var (flows, bytes) = Vpcs.GetValueOrDefault(vpc);
            Vpcs[vpc] = (flows + 1, bytes + record.Bytes);
        }
        if (record.Has(FlowField.SrcAddr))
        {
            var source = record.SrcAddr.ToString();
            BytesBySource[source] = BytesBySource.GetValueOrDefault(source) + record.Bytes;
        }
    }

    public void OnMalformed(in MalformedLine malformed) => Malformed++;

    public void OnControlMessage()
    {
    }

    private InterfaceFacts Interface(string id)
    {
        if (!Interfaces.TryGetValue(id, out var facts)) Interfaces[id] = facts = new InterfaceFacts();
        return facts;
    }
}
