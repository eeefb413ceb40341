using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation.Tests;

/// <summary>A synthetic flow record as the grain would see it, with its event minute.</summary>
internal readonly record struct TestFlow(long Minute, FlowAddress Source, FlowAddress Destination, int DestinationPort, int Protocol,
    FlowAction Action, long Packets, long Bytes, LogStatus Status)
{
    public static readonly Dimension[] Dimensions =
        [Dimension.SourceAddress, Dimension.DestinationAddress, Dimension.DestinationPort, Dimension.Protocol, Dimension.AddressPair];

    public bool IsTraffic => Status is not (LogStatus.NoData or LogStatus.SkipData);

    public ContributorKey KeyOf(Dimension dimension) => dimension switch
    {
        Dimension.SourceAddress => ContributorKey.ForAddress(Source),
        Dimension.DestinationAddress => ContributorKey.ForAddress(Destination),
        Dimension.DestinationPort => ContributorKey.ForNumber(DestinationPort),
        Dimension.Protocol => ContributorKey.ForNumber(Protocol),
        Dimension.AddressPair => ContributorKey.ForPair(Source, Destination),
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };

    public long ValueOf(Metric metric) => metric switch
    {
        Metric.Bytes => Bytes,
        Metric.Packets => Packets,
        Metric.Flows => 1,
        _ => Action == FlowAction.Reject ? 1 : 0,
    };

    /// <summary>What the grain does with one record: exact totals once, summaries per dimension.</summary>
    public void ApplyTo(ContributorBoard board)
    {
        board.Totals.AddRecord(new FlowRecord { LogStatus = Status, Action = Action, Packets = Packets, Bytes = Bytes });
        if (!IsTraffic) return;
        foreach (var dimension in Dimensions)
            board.Add(dimension, KeyOf(dimension), Bytes, Packets, 1, Action == FlowAction.Reject ? 1 : 0);
    }
}

internal static class FlowWorkload
{
    /// <summary>
    /// Records in arrival order while the clock advances one minute per 1,000 records. Most event
    /// minutes are recent (delivery lag); one in five straddles the live range (late, tolerated
    /// future, too far ahead).
    /// </summary>
    public static IEnumerable<(long Now, TestFlow Flow)> Generate(int seed, int count, long startMinute, int sources, int destinations, int ports)
    {
        var random = new Random(seed);
        var now = startMinute;
        int[] protocols = [6, 17, 1];
        for (var i = 0; i < count; i++)
        {
            if (random.Next(1_000) == 0) now++;
            var minute = now + (random.Next(5) == 0 ? random.Next(-70, 5) : random.Next(-2, 1));
            var status = random.Next(50) switch { 0 => LogStatus.NoData, 1 => LogStatus.SkipData, _ => LogStatus.Ok };
            var action = status != LogStatus.Ok ? FlowAction.None : random.Next(4) == 0 ? FlowAction.Reject : FlowAction.Accept;
            var traffic = status == LogStatus.Ok;
            // Skewed sources so rankings have a head and a tail.
            var source = (int)(sources * Math.Pow(random.NextDouble(), 3));
            yield return (now, new TestFlow(
                minute,
                FlowAddress.FromIPv4(0x0A00_0000u + (uint)source),
                FlowAddress.FromIPv4(0xC0A8_0000u + (uint)random.Next(destinations)),
                traffic ? 1 + random.Next(ports) : 0,
                traffic ? protocols[random.Next(protocols.Length)] : 0,
                action,
                traffic ? random.Next(1, 100) : 0,
                traffic ? random.NextInt64(40, 1_500_000) : 0,
                status));
        }
    }
}
