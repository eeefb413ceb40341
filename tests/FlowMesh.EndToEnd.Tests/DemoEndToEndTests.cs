using System.Text.Json;

namespace FlowMesh.EndToEnd.Tests;

/// <summary>The embedded default with <c>--demo</c>: data appears on its own, and the server stops cleanly.</summary>
public sealed class DemoEndToEndTests
{
    [Fact]
    public async Task DemoMode_FlowmeshTopJson_ShowsContributorsWithinTenSecondsThenExitsZeroOnSigterm()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "SIGTERM is a POSIX signal");
        // No access key configured: demo mode generates one for its own deliveries.
        await using var server = ServerProcess.Start(accessKey: null, "--demo");
        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        var contributors = await WaitForContributorsAsync(server, TimeSpan.FromSeconds(10));

        Assert.NotEmpty(contributors);
        var exitCode = await server.TerminateAsync(TimeSpan.FromSeconds(15));
        Assert.True(exitCode == 0, $"flowmesh-server exited with {exitCode}:\n{server.Log}");
    }

    /// <summary>Runs <c>flowmesh top --json</c> until it lists contributors, or fails at the deadline.</summary>
    private static async Task<JsonElement[]> WaitForContributorsAsync(ServerProcess server, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        CliResult? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await CliProcess.RunAsync(TimeSpan.FromSeconds(30), "top", "--json", "--server", server.QueryServer);
            Assert.True(last.ExitCode == 0, last.ToString());
            using var document = JsonDocument.Parse(last.Output);
            var contributors = document.RootElement.GetProperty("contributors").EnumerateArray().Select(c => c.Clone()).ToArray();
            if (contributors.Length > 0) return contributors;
        }
        Assert.Fail($"flowmesh top showed no contributors within {timeout.TotalSeconds:0} s; last answer: {last}\nserver log:\n{server.Log}");
        return [];
    }
}
