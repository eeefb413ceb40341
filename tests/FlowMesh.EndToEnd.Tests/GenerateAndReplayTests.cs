using System.Globalization;
using System.Security.Cryptography;
using FlowMesh.Contracts.V1;
using FlowMesh.FlowLogs;

namespace FlowMesh.EndToEnd.Tests;

/// <summary>The CLI's traffic verbs as real processes: reproducible generation, and replay of S3-style files in a custom format.</summary>
public sealed class GenerateAndReplayTests
{
    [Fact]
    public async Task Generate_SameSeedAndStart_WritesIdenticalLinesAndAnotherSeedDoesNot()
    {
        string[] args = ["generate", "--records", "2000", "--start", "1767225600", "--seed"];

        var first = await CliProcess.RunAsync(ReplayScenario.ProcessTimeout, [.. args, "7"]);
        var again = await CliProcess.RunAsync(ReplayScenario.ProcessTimeout, [.. args, "7"]);
        var other = await CliProcess.RunAsync(ReplayScenario.ProcessTimeout, [.. args, "8"]);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(2000, first.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(first.Output, again.Output);
        Assert.NotEqual(first.Output, other.Output);
    }

    [Theory]
    [InlineData("12XB", "--batch-size: '12XB' is not a size")]
    [InlineData("100MiB", "--batch-size: 100MiB is outside 1KiB..64MiB")]
    public async Task Replay_InvalidBatchSize_ExitsTwoNamingTheOption(string size, string message)
    {
        var file = Path.GetTempFileName();
        try
        {
            var result = await CliProcess.RunAsync(ReplayScenario.ProcessTimeout, "replay", file, "--endpoint", "http://127.0.0.1:9/v1/firehose", "--batch-size", size);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains(message, result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Replay_GzipFileWithHeaderInCustomFormat_ServerCountsEveryRecordPerVpc()
    {
        var directory = Directory.CreateTempSubdirectory("flowmesh-e2e-").FullName;
        var accessKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await using var server = ServerProcess.Start(accessKey);
        try
        {
            // vpc-id is not in the default format: the server sees it only if replay sends the header's format.
            var file = Path.Combine(directory, "custom.log.gz");
            var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var generate = await CliProcess.RunAsync(ReplayScenario.ProcessTimeout, "generate", "--records", "5000", "--seed", "3", "--start", start,
                "--format", "${version} ${vpc-id} ${interface-id} ${srcaddr} ${dstaddr} ${dstport} ${protocol} ${bytes} ${packets} ${start} ${end} ${action} ${log-status}",
                "--header", "--output", file);
            Assert.True(generate.ExitCode == 0, generate.ToString());
            var expected = FlowLogFileFacts.Read(file, FlowLogFormat.Default);
            Assert.Equal((5000, 0), (expected.Records, expected.Malformed));
            Assert.NotEmpty(expected.Vpcs);
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

            var replay = await CliProcess.RunAsync(ReplayScenario.ProcessTimeout, "replay", file, "--endpoint", server.FirehoseEndpoint,
                "--access-key", accessKey, "--batch-size", "64KiB", "--concurrency", "2");

            Assert.True(replay.ExitCode == 0, replay.ToString());
            foreach (var (vpc, (flows, bytes)) in expected.Vpcs)
            {
                var request = ReplayScenario.TopSourcesByBytes();
                request.Scope = new Scope { VpcId = vpc };
                var snapshot = await server.QueryClient.GetTopContributorsAsync(request, cancellationToken: TestContext.Current.CancellationToken);
                Assert.Equal((vpc, flows, bytes), (vpc, snapshot.Totals.Flows, snapshot.Totals.Bytes));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
