using System.Diagnostics;

namespace FlowMesh.EndToEnd.Tests;

/// <summary>What a finished <c>flowmesh</c> process printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>Runs the built <c>flowmesh</c> command as a real process.</summary>
internal static class CliProcess
{
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(BuiltExecutables.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuiltExecutables.Cli);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("flowmesh did not start");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs to completion; a process still running after <paramref name="timeout"/> is killed and the test fails.</summary>
    public static async Task<CliResult> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var process = Start(args);
        return await WaitAsync(process, timeout, string.Join(' ', args));
    }

    public static async Task<CliResult> WaitAsync(Process process, TimeSpan timeout, string description)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return new CliResult(process.ExitCode, await output, await error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"flowmesh {description} did not finish within {timeout.TotalSeconds:0} s");
        }
    }
}
