using FlowMesh.Aggregation;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Grains.Tests;

/// <summary>Random flow records and the brute-force answers the grains are checked against.</summary>
internal static class TestTraffic
{
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
        foreach (var f in new[]
        {
            FlowField.Version, FlowField.AccountId, FlowField.InterfaceId, FlowField.VpcId, FlowField.SrcAddr, FlowField.DstAddr,
            FlowField.SrcPort, FlowField.DstPort, FlowField.Protocol, FlowField.Packets, FlowField.Bytes, FlowField.Start,
            FlowField.End, FlowField.Action, FlowField.LogStatus,
        })
        {
            present = present.With(f);
        }
        r.Present = present;
        return r;
    }

    /// <summary>Random traffic over the last <paramref name="minutesBack"/> minutes, capture windows under 60 s.</summary>
    public static List<FlowRecord> Random(Random rng, int count, DateTimeOffset now, int minutesBack, string[] enis, FlowAddress[] addresses, string account, string vpc)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var records = new List<FlowRecord>(count);
        int[] ports = [22, 53, 80, 443, 3389, 5432, 6379, 8080];
        int[] protocols = [6, 6, 6, 17, 1];
        for (var i = 0; i < count; i++)
        {
            var start = nowSeconds - rng.Next(0, minutesBack * 60);
            var end = start + rng.Next(0, 59);
            var src = addresses[Zipf(rng, addresses.Length)];
            var dst = addresses[rng.Next(addresses.Length)];
            records.Add(Record(
                enis[rng.Next(enis.Length)], account, vpc, src, dst, ports[rng.Next(ports.Length)], protocols[rng.Next(protocols.Length)],
                rng.Next(1, 100), rng.Next(40, 1_000_000), start, end, rng.Next(4) == 0 ? FlowAction.Reject : FlowAction.Accept));
        }
        return records;
    }

    /// <summary>Random addresses in 10.0.0.0/8 (or 2001:db8::/32), so tests sharing the cluster do not share address grains.</summary>
    public static FlowAddress[] Addresses(Random rng, int count, bool ipv6 = false) =>
        Enumerable.Range(0, count)
            .Select(i => ipv6
                ? new FlowAddress(0x2001_0db8_0000_0000UL | (uint)rng.Next(0, 0xFFFF), (ulong)rng.NextInt64() | 1UL, 6)
                : FlowAddress.FromIPv4(0x0A00_0000u | (uint)rng.Next(1, 0xFFFFFF)))
            .Distinct()
            .ToArray();

    /// <summary>A skewed index in [0, n): low indices are much more frequent.</summary>
    private static int Zipf(Random rng, int n) => Math.Min(n - 1, (int)(n * Math.Pow(rng.NextDouble(), 3)));

    public static FlowBatchCombiner Combine(IEnumerable<FlowRecord> records, long arrival = 0)
    {
        var combiner = new FlowBatchCombiner(arrival);
        foreach (var r in records) combiner.OnRecord(in r);
        return combiner;
    }

    public static bool InWindow(in FlowRecord r, DateTimeOffset now, Window window)
    {
        var nowMinute = EventMinute.FromTime(now);
        var minute = EventMinute.FromUnixSeconds(r.Start);
        return minute > nowMinute - window.Minutes() && minute <= nowMinute + 2;
    }

    public static long ValueOf(in FlowRecord r, Metric metric) => metric switch
    {
        Metric.Bytes => r.Bytes,
        Metric.Packets => r.Packets,
        Metric.Flows => 1,
        _ => r.Action == FlowAction.Reject ? 1 : 0,
    };

    /// <summary>Exact per-key sums of a metric.</summary>
    public static Dictionary<ContributorKey, long> Exact(IEnumerable<FlowRecord> records, Func<FlowRecord, ContributorKey?> keyOf, Metric metric)
    {
        var sums = new Dictionary<ContributorKey, long>();
        foreach (var r in records)
        {
            if (keyOf(r) is not { } key) continue;
            var value = ValueOf(r, metric);
            if (value == 0) continue;
            sums[key] = sums.GetValueOrDefault(key) + value;
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

    /// <summary>
    /// Asserts a top-N answer against exact sums: every reported value is exact (the tests keep
    /// distinct keys within capacity), and the reported set is a correct top-N (ties may pick either).
    /// </summary>
    public static void AssertTopMatches(IReadOnlyList<ContributorValue> actual, Dictionary<ContributorKey, long> exact, int limit, string because)
    {
        var expected = exact.Values.OrderByDescending(v => v).Take(limit).ToArray();
        Assert.True(expected.Length == actual.Count, $"{because}: expected {expected.Length} contributors, got {actual.Count}");
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.True(exact.TryGetValue(actual[i].Key, out var value), $"{because}: {actual[i].Label} is not a contributor at all");
            Assert.Equal(value, actual[i].Value);
            Assert.Equal(0, actual[i].ErrorBound);
            Assert.Equal(expected[i], actual[i].Value);
        }
    }
}
