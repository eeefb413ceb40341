using FlowMesh.FlowLogs;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Query.Tests;

/// <summary>Checks service answers against brute-force sums over the records that were applied.</summary>
internal static class SnapshotAssert
{
    /// <summary>
    /// Every reported value is exact (the data keeps distinct keys within the summaries' capacity)
    /// and the reported list is a correct top-N by value (ties may pick either key).
    /// </summary>
    public static void TopMatches(IReadOnlyList<V1.Contributor> actual, Dictionary<string, long> exact, int limit, string because)
    {
        var expected = exact.Values.OrderByDescending(v => v).Take(limit).ToArray();
        Assert.True(expected.Length > 0, $"{because}: the brute force found no contributors; the test data is wrong");
        Assert.True(expected.Length == actual.Count, $"{because}: expected {expected.Length} contributors, got {actual.Count}");
        var total = exact.Values.Sum();
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.True(exact.TryGetValue(actual[i].Label, out var value), $"{because}: {actual[i].Label} is not a contributor at all");
            Assert.Equal(value, actual[i].Value);
            Assert.Equal(0, actual[i].ErrorBound);
            Assert.Equal(expected[i], actual[i].Value);
            Assert.NotEqual(V1.Contributor.KeyOneofCase.None, actual[i].KeyCase);
            if (total > 0) Assert.InRange(actual[i].Share, (double)value / total - 1e-9, (double)value / total + 1e-9);
        }
    }

    public static void TotalsMatch(V1.TrafficTotals totals, IEnumerable<FlowRecord> records, string because)
    {
        var expected = QueryTraffic.Totals(records);
        Assert.True(expected.Flows > 0, $"{because}: the brute force found no flows; the test data is wrong");
        Assert.Equal(expected.Flows, totals.Flows);
        Assert.Equal(expected.Packets, totals.Packets);
        Assert.Equal(expected.Bytes, totals.Bytes);
        Assert.Equal(expected.Rejected, totals.RejectedFlows);
        Assert.Equal(expected.Flows - expected.Rejected, totals.AcceptedFlows);
        Assert.Equal((double)expected.Rejected / expected.Flows, totals.RejectRate, 12);
    }
}
