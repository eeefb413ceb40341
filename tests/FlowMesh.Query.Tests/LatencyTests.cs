using System.Diagnostics;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Query.Tests;

/// <summary>Repeated unary queries give the same exact answer; prints the observed latency (not a benchmark).</summary>
[Collection(QueryServerGroup.Name)]
public sealed class LatencyTests(QueryServerFixture server, ITestOutputHelper output)
{
    [Fact]
    public async Task GetTopContributors_Repeated_SameExactAnswerEachTime()
    {
        var request = TopContributorsTests.Request(new V1.Scope { VpcId = server.Base.Vpc }, V1.Dimension.SourceAddress, V1.Metric.Bytes, 10);
        var records = server.AllRecords.Where(r => r.VpcId == server.Base.Vpc).ToArray();
        var reference = await server.Client.GetTopContributorsAsync(request, cancellationToken: TestContext.Current.CancellationToken);
        SnapshotAssert.TotalsMatch(reference.Totals, records, "reference");

        var latencies = new List<double>();
        for (var i = 0; i < 500; i++)
        {
            var clock = Stopwatch.StartNew();
            var answer = await server.Client.GetTopContributorsAsync(request, cancellationToken: TestContext.Current.CancellationToken);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal(reference.Contributors, answer.Contributors);
            Assert.Equal(reference.Totals, answer.Totals);
        }

        latencies.Sort();
        output.WriteLine($"unary GetTopContributors (vpc scope, top 10 of 15m, in-process silo, 500 sequential calls): " +
            $"p50 {latencies[latencies.Count / 2]:0.00} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:0.00} ms, max {latencies[^1]:0.00} ms");
    }
}
