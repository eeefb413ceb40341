using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace FlowMesh.Deploy.Tests;

/// <summary>
/// Runs <c>kubectl kustomize</c> on a kustomization under deploy/k8s. A missing kubectl fails the
/// test with a message saying so, unless FLOWMESH_SKIP_KUBECTL=1 asks to skip (reported as skipped).
/// </summary>
internal static class Kustomize
{
    public const string SkipVariable = "FLOWMESH_SKIP_KUBECTL";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly ConcurrentDictionary<string, Lazy<string>> Rendered = new(StringComparer.Ordinal);

    /// <summary>The YAML stream of deploy/k8s/<paramref name="kustomization"/> (e.g. "overlays/dev"); rendered once per run.</summary>
    public static string Build(string kustomization)
    {
        if (Environment.GetEnvironmentVariable(SkipVariable) == "1")
            Assert.Skip($"{SkipVariable}=1: the kubectl kustomize checks of deploy/k8s were skipped on purpose.");
        return Rendered.GetOrAdd(kustomization, k => new Lazy<string>(() => Run(k))).Value;
    }

    private static string Run(string kustomization)
    {
        var directory = Repository.PathOf("deploy", "k8s", kustomization);
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"kubectl is not installed or not on PATH ({ex.Message}); the deploy/k8s checks need it " +
                $"(install kubectl, or set {SkipVariable}=1 to skip these tests explicitly).", ex);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"kubectl kustomize {directory} did not finish within {Timeout.TotalSeconds} s.");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"kubectl kustomize {directory} failed ({process.ExitCode}): {error.Result}");
            return output.Result;
        }
    }
}
