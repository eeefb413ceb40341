using System.Security.Cryptography;

namespace FlowMesh.EndToEnd.Tests;

/// <summary>Stopping a server while Firehose deliveries are arriving.</summary>
public sealed class ShutdownEndToEndTests
{
    [Fact]
    public async Task Sigterm_WhileReplayIsDelivering_ServerExitsZeroWithinFifteenSeconds()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "SIGTERM is a POSIX signal");
        var directory = Directory.CreateTempSubdirectory("flowmesh-e2e-").FullName;
        var accessKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await using var server = ServerProcess.Start(accessKey);
        try
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            var file = Path.Combine(directory, "traffic.log");
            var generate = await CliProcess.RunAsync(ReplayScenario.ProcessTimeout, "generate", "--records", "30000", "--output", file);
            Assert.True(generate.ExitCode == 0, generate.ToString());

            // About 6 s of deliveries at 5,000 records/s: the server is stopped in the middle of them. One
            // attempt per batch, so the batches left over fail at once instead of backing off.
            using var replay = CliProcess.Start("replay", file, "--endpoint", server.FirehoseEndpoint, "--access-key", accessKey,
                "--rate", "5000", "--concurrency", "2", "--max-attempts", "1", "--json");
            try
            {
                await WaitForFirstDeliveryAsync(server, TimeSpan.FromSeconds(15));

                var exitCode = await server.TerminateAsync(TimeSpan.FromSeconds(15));

                Assert.True(exitCode == 0, $"flowmesh-server exited with {exitCode}:\n{server.Log}");
                // The replay could not deliver the rest, and says so.
                var result = await CliProcess.WaitAsync(replay, TimeSpan.FromSeconds(30), "replay");
                Assert.True(result.ExitCode == 1, result.ToString());
            }
            finally
            {
                if (!replay.HasExited) replay.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task WaitForFirstDeliveryAsync(ServerProcess server, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        var request = ReplayScenario.TopSourcesByBytes();
        while (true)
        {
            deadline.Token.ThrowIfCancellationRequested();
            var snapshot = await server.QueryClient.GetTopContributorsAsync(request, cancellationToken: deadline.Token);
            if (snapshot.Totals.Flows > 0) return;
            await Task.Delay(100, deadline.Token);
        }
    }
}
