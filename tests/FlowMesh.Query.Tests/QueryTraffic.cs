using FlowMesh.Aggregation;
using FlowMesh.FlowLogs;

namespace FlowMesh.Query.Tests;

/// <summary>Random flow records (timestamped relative to now) and the brute-force answers the service is checked against.</summary>
internal static class QueryTraffic
{
    private static readonly FlowField[] Fields =
    [
        FlowField.Version, FlowField.AccountId, FlowField.InterfaceId, FlowField.VpcId, FlowField.SrcAddr, FlowField.DstAddr,
        FlowField.SrcPort, FlowField.DstPort, FlowField.Protocol, FlowField.Packets, FlowField.Bytes, FlowField.Start,
        FlowField.End, FlowField.Action, FlowField.LogStatus,
    ];

    public static FlowRecord Record(
        string eni, string account, string vpc, FlowAddress src, FlowAddress dst, int dstPort, int protocol,
        long packets, long bytes, long start, long end, FlowAction action)
    {
        var r = new FlowRecord
        {
            Version = 3, AccountId = account, InterfaceId = eni, VpcId = vpc, SrcAddr = src, DstAddr = dst,
            SrcPort = 40000, DstPort = dstPort, Protocol = protocol, Packets = packets, Bytes = bytes,
            Start = start, End = end, Action = action, LogStatus = LogStatus.Ok,
        };
        var present = FlowFieldSet.Empty;
        foreach (var f in Fields) present = present.With(f);
        r.Present = present;
        return r;
    }

    /// <summary>
    /// Random traffic over the last <paramref name="minutesBack"/> minutes (capture windows under
    /// 60 s, so every record stays inside a 15-minute window); skewed sources, never src == dst.
    /// </summary>
    public static List<FlowRecord> Random(
        Random rng, int count, int minutesBack, string[] enis, FlowAddress[] addresses, string account, string vpc, int[]? ports = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        ports ??= [22, 53, 80, 443, 3389, 5432, 6379, 8080];
        int[] protocols = [6, 6, 6, 17, 1];
        var records = new List<FlowRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var start = now - rng.Next(0, minutesBack * 60);
            var end = start + rng.Next(0, 59);
            var s = Math.Min(addresses.Length - 1, (int)(addresses.Length * Math.Pow(rng.NextDouble(), 3)));
            var d = (s + 1 + rng.Next(addresses.Length - 1)) % addresses.Length;
            records.Add(Record(
                enis[rng.Next(enis.Length)], account, vpc, addresses[s], addresses[d], ports[rng.Next(ports.Length)],
                protocols[rng.Next(protocols.Length)], rng.Next(1, 100), rng.Next(40, 1_000_000), start, end,
                rng.Next(4) == 0 ? FlowAction.Reject : FlowAction.Accept));
        }
        return records;
    }

    public static FlowAddress[] Addresses(int ipv4, int ipv6, int seed) =>
        Enumerable.Range(0, ipv4).Select(i => FlowAddress.FromIPv4(0x0A00_0000u | (uint)(((i + 1) * 7919) + (seed * 104729)) % 0xFFFFFF))
            .Concat(Enumerable.Range(0, ipv6).Select(i => new FlowAddress(0x2001_0db8_0000_0000UL | (uint)seed, (ulong)(i + 1) * 0x1_0001, 6)))
            .Distinct()
            .ToArray();

    public static long ValueOf(in FlowRecord r, Metric metric) => metric switch
    {
        Metric.Bytes => r.Bytes,
        Metric.Packets => r.Packets,
        Metric.Flows => 1,
        _ => r.Action == FlowAction.Reject ? 1 : 0,
    };

    /// <summary>Exact per-label sums of a metric (labels as the service formats keys).</summary>
    public static Dictionary<string, long> Exact(IEnumerable<FlowRecord> records, Func<FlowRecord, ContributorKey?> keyOf, Dimension dimension, Metric metric)
    {
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            if (keyOf(r) is not { } key) continue;
            var value = ValueOf(r, metric);
            if (value == 0) continue;
            var label = key.Format(dimension);
            sums[label] = sums.GetValueOrDefault(label) + value;
        }
        return sums;
    }

    public static ContributorKey? KeyOf(in FlowRecord r, Dimension dimension) => dimension switch
    {
        Dimension.SourceAddress => ContributorKey.ForAddress(r.SrcAddr),
        Dimension.DestinationAddress => ContributorKey.ForAddress(r.DstAddr),
        Dimension.Interface => ContributorKey.ForText(r.InterfaceId!),
        Dimension.DestinationPort => ContributorKey.ForNumber(r.DstPort),
        Dimension.Protocol => ContributorKey.ForNumber(r.Protocol),
        Dimension.AddressPair => ContributorKey.ForPair(r.SrcAddr, r.DstAddr),
        _ => null,
    };

    /// <summary>Exact totals of the records: flows, packets, bytes, rejected flows.</summary>
    public static (long Flows, long Packets, long Bytes, long Rejected) Totals(IEnumerable<FlowRecord> records)
    {
        long flows = 0, packets = 0, bytes = 0, rejected = 0;
        foreach (var r in records)
        {
            flows++;
            packets += r.Packets;
            bytes += r.Bytes;
            if (r.Action == FlowAction.Reject) rejected++;
        }
        return (flows, packets, bytes, rejected);
    }
}
