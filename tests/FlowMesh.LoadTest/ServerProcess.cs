using System.Diagnostics;

namespace FlowMesh.LoadTest;

/// <summary>
/// A flowmesh-server the harness starts itself (<c>--server-dll</c>): a fresh process per run, so
/// totals, memory and CPU belong to that run alone. Stopped by its own process id, never by name.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public static async Task<ServerProcess> StartAsync(string dll, Uri endpoint, HttpClient http)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--insecure-no-access-key");
        // Memory per grain is measured at the end of each run (the server is thrown away afterwards).
        info.ArgumentList.Add("--FlowMesh:Diagnostics:GrainMemoryProbe=true");
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start dotnet {dll}");
        // Drain the logs so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process);
        var ready = new Uri(endpoint, "/health/ready");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) throw new InvalidOperationException($"flowmesh-server exited with {process.ExitCode} during start-up");
            try
            {
                using var response = await http.GetAsync(ready);
                if (response.IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        await server.DisposeAsync();
        throw new TimeoutException("flowmesh-server did not become ready within 60 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
