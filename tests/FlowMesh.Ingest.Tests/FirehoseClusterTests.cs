using System.Net;
using FlowMesh.Aggregation;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;
using FlowMesh.Grains;

namespace FlowMesh.Ingest.Tests;

/// <summary>Firehose deliveries over a real socket into the real grains: what a 200 and a 503 mean.</summary>
public sealed class FirehoseClusterTests : IAsyncLifetime
{
    private const string Format = "${version} ${account-id} ${vpc-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}";

    // The lines carry vpc-id, so the delivery names its format in a common attribute (spec §1.2).
    private static readonly string FormatAttribute = System.Text.Json.JsonSerializer.Serialize(
        new { commonAttributes = new Dictionary<string, string> { ["flowmesh-log-format"] = Format } });

    private ClusterIngestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await ClusterIngestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Post_RetriedRequestId_CountedOnceInEveryView()
    {
        var (vpc, lines, records) = Traffic(200, seed: 1);
        var requestId = Guid.NewGuid().ToString();
        var body = FirehoseRequests.Body(requestId, [.. lines.Select(FirehoseRequests.Wrapped)]);

        Assert.Null(await FirehoseAssert.SendAsync(_server.Client, FirehoseRequests.Post(requestId, body, gzip: true, commonAttributes: FormatAttribute), 200, requestId));
        Assert.Null(await FirehoseAssert.SendAsync(_server.Client, FirehoseRequests.Post(requestId, body, gzip: true, commonAttributes: FormatAttribute), 200, requestId));

        await AssertTotalsAsync(LeaderboardScope.ForVpc(vpc), records);
        var eni = records[0].InterfaceId!;
        var summary = await _server.Grains.GetGrain<IInterfaceGrain>(eni).DescribeAsync(Window.SixtyMinutes, 1);
        Assert.Equal(records.Count(r => r.InterfaceId == eni), summary!.Totals.Flows);
    }

    [Fact]
    public async Task Post_GrainFailsMidBatch_503ThenRetry200AndNothingDoubleCounted()
    {
        var (vpc, records, requestId, body, victim, failure) = await PostWithFailingAddressAsync(seed: 2);
        Assert.Contains("grain updates failed", failure, StringComparison.Ordinal);
        // The other views already hold the delivery: the retry must complete it, not repeat it.
        await AssertTotalsAsync(LeaderboardScope.ForVpc(vpc), records);

        Assert.Null(await FirehoseAssert.SendAsync(_server.Client, FirehoseRequests.Post(requestId, body, commonAttributes: FormatAttribute), 200, requestId));

        await AssertTotalsAsync(LeaderboardScope.ForVpc(vpc), records);
        await AssertAddressAsync(victim, records);
    }

    [Fact]
    public async Task Post_GrainFailsThenOtherDeliveriesFlush_RetrySendsTheFailedFlushsOwnRows()
    {
        // The group commit reuses its partition buffers from flush to flush, but not after a failed
        // call: the pending flush re-sends slices of them. Two slightly smaller flushes in between
        // (so the buffers need not grow) would overwrite those slices if they were reused; the
        // victim's slice is near the start (its address is in the first row) and would get their rows.
        var (vpc, records, requestId, body, victim, _) = await PostWithFailingAddressAsync(seed: 50);

        var others = new[] { Traffic(250, seed: 51), Traffic(250, seed: 52) };
        foreach (var other in others)
        {
            var id = Guid.NewGuid().ToString();
            Assert.Null(await FirehoseAssert.SendAsync(_server.Client,
                FirehoseRequests.Post(id, FirehoseRequests.Body(id, [.. other.Lines.Select(FirehoseRequests.Wrapped)]), commonAttributes: FormatAttribute), 200, id));
        }
        Assert.Null(await FirehoseAssert.SendAsync(_server.Client, FirehoseRequests.Post(requestId, body, commonAttributes: FormatAttribute), 200, requestId));

        await AssertTotalsAsync(LeaderboardScope.ForVpc(vpc), records);
        foreach (var other in others) await AssertTotalsAsync(LeaderboardScope.ForVpc(other.Vpc), other.Records);
        await AssertAddressAsync(victim, [.. others.SelectMany(o => o.Records), .. records]);
    }

    [Fact]
    public async Task Post_ConcurrentRequests_GroupCommittedWithOneCallPerKey()
    {
        var deliveries = Enumerable.Range(0, 6).Select(i => Traffic(150, seed: 10 + i)).ToList();
        var before = (_server.Statistics.GrainCalls, _server.Statistics.Records);

        var responses = await Task.WhenAll(deliveries.Select(async d =>
        {
            var id = Guid.NewGuid().ToString();
            using var response = await _server.Client.SendAsync(
                FirehoseRequests.Post(id, FirehoseRequests.Body(id, [.. d.Lines.Select(FirehoseRequests.Wrapped)]), commonAttributes: FormatAttribute), TestContext.Current.CancellationToken);
            return response.StatusCode;
        }));

        Assert.All(responses, s => Assert.Equal(HttpStatusCode.OK, s));
        var all = deliveries.SelectMany(d => d.Records).ToList();
        Assert.Equal(all.Count, _server.Statistics.Records - before.Records);
        // However the requests were grouped into flushes, no key gets more than one call per flush,
        // so calls never exceed flushes × distinct keys, and at least the distinct keys were called.
        var keys = all.Select(r => r.InterfaceId).Distinct().Count()
            + all.SelectMany(r => new[] { r.SrcAddr, r.DstAddr }).Distinct().Count()
            + all.Select(r => r.VpcId).Distinct().Count() + all.Select(r => r.AccountId).Distinct().Count() + 1;
        var calls = _server.Statistics.GrainCalls - before.GrainCalls;
        Assert.InRange(calls, keys, keys * deliveries.Count);
        foreach (var d in deliveries) await AssertTotalsAsync(LeaderboardScope.ForVpc(d.Vpc), d.Records);
    }

    [Fact]
    public async Task Post_MalformedLines_ReportedToTheClusterWithReasonsAndExamples()
    {
        var (_, lines, records) = Traffic(5, seed: 40);
        var requestId = Guid.NewGuid().ToString();
        string[] bad = ["3 123456789012 too few fields", lines[0].Replace(" 6 ", " 999 ", StringComparison.Ordinal)];
        var body = FirehoseRequests.Body(requestId, [.. lines.Concat(bad).Select(FirehoseRequests.Wrapped)]);

        Assert.Null(await FirehoseAssert.SendAsync(_server.Client, FirehoseRequests.Post(requestId, body, commonAttributes: FormatAttribute), 200, requestId));
        await _server.PublishMalformedAsync();

        var summary = await _server.Grains.GetGrain<IIngestErrorsGrain>(GrainKeys.IngestErrors).GetSummaryAsync(10);
        Assert.Equal(2, summary.Total);
        Assert.Equal([("field_count", 1L), ("invalid_value", 1L)], summary.Counts.OrderBy(c => c.Reason).Select(c => (c.Reason, c.Count)));
        Assert.All(summary.Latest, e => Assert.Equal(requestId, e.RequestId));
        Assert.Contains(summary.Latest, e => e.Field == "protocol" && e.RecordIndex == 6 && e.Text.Contains("999", StringComparison.Ordinal));
        Assert.Equal(FirehoseRequests.SourceArn, summary.Counts[0].Source);
        Assert.Equal(records.Count, (await _server.Grains.GetGrain<ILeaderboardGrain>(GrainKeys.AllLeaderboard)
            .GetTopContributorsAsync(new TopContributorsQuery(Dimension.SourceAddress, Metric.Flows, Window.SixtyMinutes, 1))).Totals.Flows);
    }

    /// <summary>
    /// POSTs 300 records whose first destination address's grain fails its next apply; returns the
    /// 503's message. The other views already hold the delivery; its pending flush keeps the failed call.
    /// </summary>
    private async Task<(string Vpc, List<FlowRecord> Records, string RequestId, byte[] Body, FlowAddress Victim, string? Failure)> PostWithFailingAddressAsync(int seed)
    {
        var (vpc, lines, records) = Traffic(300, seed);
        var requestId = Guid.NewGuid().ToString();
        var body = FirehoseRequests.Body(requestId, [.. lines.Select(FirehoseRequests.Wrapped)]);
        var victim = records[0].DstAddr;
        _server.Faults.FailNextApply(GrainKeys.Address(victim));
        var failure = await FirehoseAssert.SendAsync(_server.Client, FirehoseRequests.Post(requestId, body, commonAttributes: FormatAttribute), 503, requestId);
        return (vpc, records, requestId, body, victim, failure);
    }

    /// <summary>The address grain's hour equals the exact sums of every record naming the address.</summary>
    private async Task AssertAddressAsync(FlowAddress address, List<FlowRecord> records)
    {
        var summary = await _server.Grains.GetGrain<IAddressGrain>(GrainKeys.Address(address)).DescribeAsync(Window.SixtyMinutes, 1);
        Assert.Equal(records.Where(r => r.DstAddr == address).Sum(r => r.Bytes), summary!.AsDestination.Totals.Bytes);
        Assert.Equal(records.Count(r => r.DstAddr == address), summary.AsDestination.Totals.Flows);
        Assert.Equal(records.Count(r => r.SrcAddr == address), summary.AsSource.Totals.Flows);
    }

    /// <summary>Records timestamped now, in a VPC of their own so tests do not share leaderboards.</summary>
    private static (string Vpc, List<string> Lines, List<FlowRecord> Records) Traffic(int count, int seed)
    {
        var rng = new Random(seed);
        var vpc = "vpc-" + Guid.NewGuid().ToString("N")[..17];
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var format = FlowLogFormat.Parse(Format);
        var enis = Enumerable.Range(0, 3).Select(_ => "eni-" + Guid.NewGuid().ToString("N")[..17]).ToArray();
        var addresses = Enumerable.Range(0, 12).Select(_ => FlowAddress.FromIPv4(0x0A00_0000u | (uint)rng.Next(1, 0xFFFFFF))).ToArray();
        var lines = new List<string>();
        var records = new List<FlowRecord>();
        var parser = new FlowLogParser(format);
        for (var i = 0; i < count; i++)
        {
            var start = now - rng.Next(0, 600);
            var line = string.Join(' ', "3", "123456789012", vpc, enis[rng.Next(enis.Length)], addresses[rng.Next(addresses.Length)],
                addresses[rng.Next(addresses.Length)], rng.Next(1024, 65535), rng.Next(2) == 0 ? 443 : 22, 6, rng.Next(1, 50),
                rng.Next(40, 90_000), start, start + rng.Next(0, 59), rng.Next(4) == 0 ? "REJECT" : "ACCEPT", "OK");
            lines.Add(line);
            Assert.True(parser.TryParse(System.Text.Encoding.UTF8.GetBytes(line), i + 1, out var record, out _));
            records.Add(record);
        }
        return (vpc, lines, records);
    }

    private async Task AssertTotalsAsync(string scope, List<FlowRecord> records)
    {
        var snapshot = await _server.Grains.GetGrain<ILeaderboardGrain>(scope)
            .GetTopContributorsAsync(new TopContributorsQuery(Dimension.SourceAddress, Metric.Bytes, Window.SixtyMinutes, 5));
        Assert.Equal(records.Count, snapshot.Totals.Flows);
        Assert.Equal(records.Sum(r => r.Bytes), snapshot.Totals.Bytes);
        Assert.Equal(records.Sum(r => r.Packets), snapshot.Totals.Packets);
        Assert.Equal(records.Count(r => r.Action == FlowAction.Reject), snapshot.Totals.RejectedFlows);
    }
}
