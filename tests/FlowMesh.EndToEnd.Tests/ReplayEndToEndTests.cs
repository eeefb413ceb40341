using FlowMesh.Contracts.V1;

namespace FlowMesh.EndToEnd.Tests;

/// <summary>
/// A generated file replayed into a real server by the real CLI, checked through the real gRPC
/// API against answers computed from the file alone.
/// </summary>
public sealed class ReplayEndToEndTests(ReplayScenario scenario) : IClassFixture<ReplayScenario>
{
    [Fact]
    public void Replay_GeneratedFile_SendsEveryRecordWithoutFailure()
    {
        Assert.True(scenario.Replay.ExitCode == 0, scenario.Replay.ToString());
        var summary = scenario.ReplaySummary();
        Assert.Equal(ReplayScenario.Records, summary.GetProperty("records_sent").GetInt64());
        Assert.Equal(0, summary.GetProperty("failed_batches").GetInt64());
        Assert.Equal(ReplayScenario.Records, scenario.Expected.Records);
        Assert.Equal(0, scenario.Expected.Malformed);
    }

    [Fact]
    public async Task GetTopContributors_AllScopeSixtyMinutes_TotalsEqualTheFile()
    {
        var snapshot = await scenario.Server.QueryClient.GetTopContributorsAsync(ReplayScenario.TopSourcesByBytes(),
            cancellationToken: TestContext.Current.CancellationToken);

        var expected = scenario.Expected;
        Assert.Equal(
            (expected.Flows, expected.Bytes, expected.Packets, expected.RejectedFlows, expected.NoDataRecords, expected.SkipDataRecords),
            (snapshot.Totals.Flows, snapshot.Totals.Bytes, snapshot.Totals.Packets, snapshot.Totals.RejectedFlows,
                snapshot.Totals.NoDataRecords, snapshot.Totals.SkipDataRecords));
    }

    [Fact]
    public async Task GetTopContributors_SourceAddressesByBytes_SameMembersAsExactTopTenWithinReportedBounds()
    {
        var snapshot = await scenario.Server.QueryClient.GetTopContributorsAsync(ReplayScenario.TopSourcesByBytes(),
            cancellationToken: TestContext.Current.CancellationToken);

        var exact = scenario.Expected.TopSourcesByBytes(11);
        // A tie at the boundary would make "the" top ten ambiguous; the seed is chosen so there is none.
        Assert.True(exact[9].Value > exact[10].Value, "the generated file has a tie between ranks 10 and 11");
        Assert.Equal(exact.Take(10).Select(pair => pair.Key).Order(), snapshot.Contributors.Select(c => c.Address).Order());
        foreach (var contributor in snapshot.Contributors)
        {
            var truth = scenario.Expected.BytesBySource[contributor.Address];
            if (snapshot.Exact) Assert.Equal(truth, contributor.Value);
            // Space-Saving overestimates: the true value lies in [value - bound, value].
            Assert.InRange(truth, contributor.Value - contributor.ErrorBound, contributor.Value);
        }
    }

    [Fact]
    public async Task DescribeInterface_EveryInterfaceInTheFile_RejectRateIsExact()
    {
        Assert.NotEmpty(scenario.Expected.Interfaces);
        foreach (var (interfaceId, expected) in scenario.Expected.Interfaces)
        {
            var summary = await scenario.Server.QueryClient.DescribeInterfaceAsync(
                new DescribeInterfaceRequest { InterfaceId = interfaceId, Window = Window.SixtyMinutes },
                cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal((interfaceId, expected.Flows, expected.RejectedFlows, expected.RejectRate),
                (summary.InterfaceId, summary.Totals.Flows, summary.Totals.RejectedFlows, summary.Totals.RejectRate));
        }
    }

    [Fact]
    public async Task StreamTopContributors_OpenedBeforeReplay_ConvergesToTheFinalTotals()
    {
        var expected = scenario.Expected;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        TopContributorsUpdate? last = null;
        var first = true;
        try
        {
            while (true)
            {
                last = await scenario.StreamUpdates.Reader.ReadAsync(deadline.Token);
                var totals = last.Snapshot.Totals;
                // The first update arrived before the replay, when nothing had been ingested.
                if (first) Assert.Equal(0, totals.Flows);
                first = false;
                if (totals.Flows == expected.Flows && totals.Bytes == expected.Bytes && totals.RejectedFlows == expected.RejectedFlows) break;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail($"the stream did not reach flows={expected.Flows} bytes={expected.Bytes} within 10 s; last update: {last}");
        }

        var exactTop = scenario.Expected.TopSourcesByBytes(10).Select(pair => pair.Key).Order();
        Assert.Equal(exactTop, last.Snapshot.Contributors.Select(c => c.Address).Order());
        Assert.True(last.Sequence > 1, "the converged update should follow the initial one");
    }
}
