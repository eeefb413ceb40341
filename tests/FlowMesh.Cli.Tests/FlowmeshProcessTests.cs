using System.Diagnostics;

namespace FlowMesh.Cli.Tests;

/// <summary>The built <c>flowmesh</c> executable, run as a real process (copied beside the tests by the project reference).</summary>
public sealed class FlowmeshProcessTests
{
    private static async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "flowmesh.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var cancellationToken = TestContext.Current.CancellationToken;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Flowmesh_ParseSampleAsJson_PrintsOneObjectPerRecord()
    {
        var (exitCode, output, error) = await RunAsync("parse", "--json", SharedSamples.Path("default-v2.log"));

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        var lines = SharedSamples.Lines("default-v2.log");
        var objects = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Length, objects.Length);
        string[] names = ["version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status"];
        for (var i = 0; i < lines.Length; i++) JsonLineAssert.Matches(names, lines[i], objects[i]);
    }

    [Fact]
    public async Task Flowmesh_BadFormat_ExitsTwo()
    {
        var (exitCode, output, error) = await RunAsync("parse", "--format", "${srcaddr} ${srcaddr}", SharedSamples.Path("default-v2.log"));

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Contains("duplicate field '${srcaddr}' at position 2", error, StringComparison.Ordinal);
    }
}
