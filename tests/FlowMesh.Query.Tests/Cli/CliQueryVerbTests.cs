using System.Text.Json;
using FlowMesh.Aggregation;
using FlowMesh.Cli;
using FlowMesh.FlowLogs;
using FlowMesh.Testing;

namespace FlowMesh.Query.Tests.Cli;

/// <summary>The real flowmesh verbs against the real test server; JSON output checked against brute force.</summary>
[Collection(QueryServerGroup.Name)]
public sealed class CliQueryVerbTests(QueryServerFixture server, ITestOutputHelper log)
{
    private string Server => server.Address.ToString();

    [Fact]
    public async Task Top_JsonOnVpcScope_MatchesBruteForce()
    {
        var (exit, output, error) = await CliRunner.RunAsync(
            "top", "--server", Server, "--scope", "vpc:" + server.Base.Vpc, "--dimension", "srcaddr", "--metric", "bytes", "--window", "15m", "--limit", "10", "--json");

        Assert.True(exit == 0, error);
        var json = CliRunner.Json(output.Trim());
        var records = server.AllRecords.Where(r => r.VpcId == server.Base.Vpc).ToArray();
        Assert.Equal("vpc:" + server.Base.Vpc, json.GetProperty("scope").GetString());
        Assert.Equal("srcaddr", json.GetProperty("dimension").GetString());
        Assert.Equal("bytes", json.GetProperty("metric").GetString());
        Assert.Equal("15m", json.GetProperty("window").GetString());
        Assert.True(json.GetProperty("exact").GetBoolean());
        AssertTotals(json.GetProperty("totals"), records);
        AssertContributors(json.GetProperty("contributors"), QueryTraffic.Exact(records, r => ContributorKey.ForAddress(r.SrcAddr), Dimension.SourceAddress, Metric.Bytes), 10, "address");
    }

    [Fact]
    public async Task Top_JsonOnInterfaceByPort_MatchesBruteForce()
    {
        var eni = server.Base.Interfaces[2];
        var (exit, output, error) = await CliRunner.RunAsync(
            "top", "--server", Server, "--scope", "eni:" + eni, "--dimension", "dstport", "--metric", "flows", "--window", "15m", "--json");

        Assert.True(exit == 0, error);
        var json = CliRunner.Json(output.Trim());
        var records = server.AllRecords.Where(r => r.InterfaceId == eni).ToArray();
        Assert.Equal("eni:" + eni, json.GetProperty("scope").GetString());
        AssertTotals(json.GetProperty("totals"), records);
        AssertContributors(json.GetProperty("contributors"), QueryTraffic.Exact(records, r => ContributorKey.ForNumber(r.DstPort), Dimension.DestinationPort, Metric.Flows), 10, "port");
    }

    [Fact]
    public async Task Eni_Json_MatchesBruteForce()
    {
        var eni = server.Base.Interfaces[3];
        var (exit, output, error) = await CliRunner.RunAsync("eni", eni, "--server", Server, "--window", "15m", "--limit", "5", "--json");

        Assert.True(exit == 0, error);
        var json = CliRunner.Json(output.Trim());
        var records = server.AllRecords.Where(r => r.InterfaceId == eni).ToArray();
        Assert.Equal(eni, json.GetProperty("interface_id").GetString());
        Assert.Equal(server.Base.Account, json.GetProperty("account_id").GetString());
        Assert.Equal(server.Base.Vpc, json.GetProperty("vpc_id").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("subnet_id").ValueKind);
        Assert.Equal("15m", json.GetProperty("window").GetString());
        AssertTotals(json.GetProperty("totals"), records);
        AssertContributors(json.GetProperty("top_destination_ports"), QueryTraffic.Exact(records, r => ContributorKey.ForNumber(r.DstPort), Dimension.DestinationPort, Metric.Bytes), 5, "port");
        AssertContributors(json.GetProperty("top_protocols"), QueryTraffic.Exact(records, r => ContributorKey.ForNumber(r.Protocol), Dimension.Protocol, Metric.Bytes), 5, typedField: null);
    }

    [Fact]
    public async Task Ip_Json_MatchesBruteForce()
    {
        var address = server.Base.Addresses[2];
        var (exit, output, error) = await CliRunner.RunAsync("ip", address.ToString(), "--server", Server, "--window", "60m", "--json");

        Assert.True(exit == 0, error);
        var json = CliRunner.Json(output.Trim());
        var asSource = server.AllRecords.Where(r => r.SrcAddr == address).ToArray();
        var asDestination = server.AllRecords.Where(r => r.DstAddr == address).ToArray();
        Assert.Equal(address.ToString(), json.GetProperty("address").GetString());
        AssertTotals(json.GetProperty("as_source").GetProperty("totals"), asSource);
        AssertTotals(json.GetProperty("as_destination").GetProperty("totals"), asDestination);
        AssertContributors(json.GetProperty("as_destination").GetProperty("top_peers"),
            QueryTraffic.Exact(asDestination, r => ContributorKey.ForAddress(r.SrcAddr), Dimension.PeerAddress, Metric.Bytes), 10, "address");
    }

    [Fact]
    public async Task Top_Table_ShowsHeaderAndRankedContributors()
    {
        var (exit, output, error) = await CliRunner.RunAsync("top", "--server", Server, "--scope", "vpc:" + server.Base.Vpc, "--window", "15m", "--limit", "3");
        log.WriteLine(output);

        Assert.True(exit == 0, error);
        var records = server.AllRecords.Where(r => r.VpcId == server.Base.Vpc).ToArray();
        var leader = QueryTraffic.Exact(records, r => ContributorKey.ForAddress(r.SrcAddr), Dimension.SourceAddress, Metric.Bytes).MaxBy(p => p.Value).Key;
        Assert.Contains("vpc:" + server.Base.Vpc, output, StringComparison.Ordinal);
        Assert.Contains("srcaddr by bytes", output, StringComparison.Ordinal);
        Assert.Contains($"{records.Length:N0} flows", output, StringComparison.Ordinal);
        Assert.Contains("reject rate", output, StringComparison.Ordinal);
        Assert.Contains(leader, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_ServerFromEnvironment_IsUsedWithoutServerOption()
    {
        var previous = Environment.GetEnvironmentVariable("FLOWMESH_SERVER");
        Environment.SetEnvironmentVariable("FLOWMESH_SERVER", Server);
        try
        {
            var (exit, output, error) = await CliRunner.RunAsync("top", "--scope", "vpc:" + server.Base.Vpc, "--window", "15m", "--json");
            Assert.True(exit == 0, error);
            Assert.Equal(server.AllRecords.Count(r => r.VpcId == server.Base.Vpc), CliRunner.Json(output.Trim()).GetProperty("totals").GetProperty("flows").GetInt64());
        }
        finally
        {
            Environment.SetEnvironmentVariable("FLOWMESH_SERVER", previous);
        }
    }

    [Fact]
    public async Task Watch_Json_PrintsSnapshotThenUpdateAndExitsCleanlyOnCancel()
    {
        var vpc = GrainFeed.UniqueVpc();
        var enis = GrainFeed.UniqueEnis(1);
        await server.ApplyAsync(QueryTraffic.Random(new Random(11), 12, 5, enis, server.Base.Addresses, server.Base.Account, vpc));
        using var output = new LineWriter();
        using var error = new StringWriter();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = CliApp.RunAsync(
            ["watch", "--server", Server, "--scope", "vpc:" + vpc, "--window", "15m", "--interval", "100ms", "--json"],
            new CliConsole(output, error, () => Stream.Null), cancel.Token);

        var first = CliRunner.Json(await NextLineAsync(output));
        Assert.Equal(1ul, first.GetProperty("sequence").GetUInt64());
        Assert.Equal(12, first.GetProperty("totals").GetProperty("flows").GetInt64());

        var more = QueryTraffic.Random(new Random(12), 8, 5, enis, server.Base.Addresses, server.Base.Account, vpc);
        await server.ApplyAsync(more);
        JsonElement update;
        do update = CliRunner.Json(await NextLineAsync(output));
        while (update.GetProperty("version").GetInt64() == first.GetProperty("version").GetInt64());

        var records = server.AllRecords.Where(r => r.VpcId == vpc).ToArray();
        Assert.True(update.GetProperty("sequence").GetUInt64() > 1);
        AssertTotals(update.GetProperty("totals"), records);
        AssertContributors(update.GetProperty("contributors"), QueryTraffic.Exact(records, r => ContributorKey.ForAddress(r.SrcAddr), Dimension.SourceAddress, Metric.Bytes), 10, "address");

        await cancel.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task Top_ServerUnreachable_Exit3WithOneClearLine()
    {
        var nobody = $"http://127.0.0.1:{TestPorts.Next()}";
        var (exit, output, error) = await CliRunner.RunAsync("top", "--server", nobody, "--json");

        Assert.Equal(3, exit);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"cannot reach the FlowMesh query service at {nobody}: ", line, StringComparison.Ordinal);
        Assert.EndsWith("; is the server running?", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_ServerUnreachable_Exit3()
    {
        var (exit, _, error) = await CliRunner.RunAsync("watch", "--server", $"http://127.0.0.1:{TestPorts.Next()}", "--json");
        Assert.Equal(3, exit);
        Assert.Contains("is the server running?", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_WindowTheServerDoesNotKeep_Exit2WithTheServersMessage()
    {
        var (exit, _, error) = await CliRunner.RunAsync("top", "--server", Server, "--window", "7m");
        Assert.Equal(2, exit);
        Assert.Equal("flowmesh top: window: 7m is not one of 1m, 5m, 15m, 60m", error.Trim());
    }

    [Fact]
    public async Task Eni_UnknownInterface_Exit4()
    {
        var eni = GrainFeed.UniqueEnis(1)[0];
        var (exit, _, error) = await CliRunner.RunAsync("eni", eni, "--server", Server);
        Assert.Equal(4, exit);
        Assert.Contains(eni, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ip_NotAnAddress_Exit2()
    {
        var (exit, _, error) = await CliRunner.RunAsync("ip", "10.0.0.300", "--server", Server, "--json");
        Assert.Equal(2, exit);
        Assert.Equal("flowmesh ip: address: '10.0.0.300' is not an IPv4 or IPv6 address", error.Trim());
    }

    private static void AssertTotals(JsonElement totals, IReadOnlyCollection<FlowRecord> records)
    {
        var expected = QueryTraffic.Totals(records);
        Assert.Equal(JsonValueKind.Number, totals.GetProperty("flows").ValueKind);
        Assert.Equal(expected.Flows, totals.GetProperty("flows").GetInt64());
        Assert.Equal(expected.Packets, totals.GetProperty("packets").GetInt64());
        Assert.Equal(expected.Bytes, totals.GetProperty("bytes").GetInt64());
        Assert.Equal(expected.Rejected, totals.GetProperty("rejected_flows").GetInt64());
        Assert.Equal((double)expected.Rejected / expected.Flows, totals.GetProperty("reject_rate").GetDouble(), 12);
    }

    /// <summary>Ranks, keys, values and the typed key field (<paramref name="typedField"/>) against exact sums.</summary>
    private static void AssertContributors(JsonElement contributors, Dictionary<string, long> exact, int limit, string? typedField)
    {
        var expected = exact.Values.OrderByDescending(v => v).Take(limit).ToArray();
        Assert.Equal(expected.Length, contributors.GetArrayLength());
        var rank = 0;
        foreach (var c in contributors.EnumerateArray())
        {
            var key = c.GetProperty("key").GetString()!;
            Assert.Equal(rank + 1, c.GetProperty("rank").GetInt32());
            Assert.Equal(exact[key], c.GetProperty("value").GetInt64());
            Assert.Equal(expected[rank], c.GetProperty("value").GetInt64());
            Assert.Equal(0, c.GetProperty("error_bound").GetInt64());
            if (typedField is null)
            {
                rank++;
                continue;
            }
            Assert.Equal(key, c.GetProperty(typedField).ValueKind == JsonValueKind.Number
                ? c.GetProperty(typedField).GetUInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)
                : c.GetProperty(typedField).GetString());
            rank++;
        }
    }

    private static async Task<string> NextLineAsync(LineWriter output)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        return await output.Lines.ReadAsync(timeout.Token);
    }
}
