using FlowMesh.FlowLogs;

namespace FlowMesh.Aggregation.Tests;

public sealed class FlowTotalsTests
{
    [Fact]
    public void AddRecord_RandomRecords_MatchesIndependentSums()
    {
        var random = new Random(3);
        var totals = default(FlowTotals);
        long flows = 0, packets = 0, bytes = 0, accepted = 0, acceptedBytes = 0, rejected = 0, rejectedPackets = 0, noData = 0, skipData = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var status = (LogStatus)random.Next(1, 4);
            var action = status == LogStatus.Ok ? (FlowAction)random.Next(0, 3) : FlowAction.None;
            long p = status == LogStatus.Ok ? random.Next(1, 1_000) : 0, b = p * random.Next(40, 9_001);
            totals.AddRecord(new FlowRecord { LogStatus = status, Action = action, Packets = p, Bytes = b });

            if (status == LogStatus.NoData) { noData++; continue; }
            if (status == LogStatus.SkipData) { skipData++; continue; }
            flows++; packets += p; bytes += b;
            if (action == FlowAction.Accept) { accepted++; acceptedBytes += b; }
            if (action == FlowAction.Reject) { rejected++; rejectedPackets += p; }
        }

        Assert.Equal((flows, packets, bytes, accepted, acceptedBytes, rejected, rejectedPackets, noData, skipData),
            (totals.Flows, totals.Packets, totals.Bytes, totals.AcceptedFlows, totals.AcceptedBytes, totals.RejectedFlows, totals.RejectedPackets, totals.NoDataRecords, totals.SkipDataRecords));
        Assert.Equal((double)rejected / flows, totals.RejectRate);
    }

    [Fact]
    public void Add_TwoHalves_EqualsTotalsOfTheWhole()
    {
        var random = new Random(4);
        FlowTotals first = default, second = default, whole = default;
        for (var i = 0; i < 1_000; i++)
        {
            var action = (FlowAction)random.Next(0, 3);
            long packets = random.Next(1, 100), bytes = random.Next(40, 100_000), flows = random.Next(1, 5);
            (i % 2 == 0 ? ref first : ref second).AddFlow(action, packets, bytes, flows);
            whole.AddFlow(action, packets, bytes, flows);
        }

        first.Add(second);

        Assert.Equal(whole, first);
    }

    [Fact]
    public void RejectRate_NoFlows_IsZero()
    {
        var totals = new FlowTotals { NoDataRecords = 3 };

        Assert.Equal(0, totals.RejectRate);
    }

    [Theory]
    [InlineData(Metric.Bytes, 300)]
    [InlineData(Metric.Packets, 20)]
    [InlineData(Metric.Flows, 4)]
    [InlineData(Metric.RejectedFlows, 1)]
    public void Of_EachMetric_ReadsItsCounter(Metric metric, long expected)
    {
        var totals = default(FlowTotals);
        totals.AddFlow(FlowAction.Accept, 15, 200, 3);
        totals.AddFlow(FlowAction.Reject, 5, 100);

        Assert.Equal(expected, totals.Of(metric));
    }
}
