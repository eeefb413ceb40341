using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using FlowMesh.Contracts.V1;
using Grpc.Net.Client;
using FlowMesh.Testing;

namespace FlowMesh.EndToEnd.Tests;

/// <summary>
/// The built <c>flowmesh-server</c> as a real process with all roles on free 127.0.0.1 ports.
/// Disposing kills it (this process object only) if a test did not stop it.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private GrpcChannel? _channel;

    private ServerProcess(Process process, int ingestPort, int queryPort)
    {
        _process = process;
        IngestPort = ingestPort;
        QueryPort = queryPort;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The server's process id (the load harness reads its CPU and memory from /proc).</summary>
    public int Pid => _process.Id;

    public int IngestPort { get; }

    public int QueryPort { get; }

    public string FirehoseEndpoint => $"http://127.0.0.1:{IngestPort}/v1/firehose";

    public string QueryServer => $"http://127.0.0.1:{QueryPort}";

    /// <summary>Everything the server printed so far, for failure messages.</summary>
    public string Log => string.Join('\n', _log);

    public FlowMeshQuery.FlowMeshQueryClient QueryClient => new(_channel ??= GrpcChannel.ForAddress(QueryServer));

    /// <summary>Starts the server; <paramref name="accessKey"/> goes to the environment, never the command line.</summary>
    public static ServerProcess Start(string? accessKey, params string[] extraArgs)
    {
        var ports = TestPorts.Allocate(4);
        var start = new ProcessStartInfo(BuiltExecutables.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // appsettings.json (log levels) sits beside the dll.
            WorkingDirectory = Path.GetDirectoryName(BuiltExecutables.Server)!,
        };
        start.ArgumentList.Add(BuiltExecutables.Server);
        string[] args =
        [
            "--FlowMesh:ListenAddress=127.0.0.1",
            $"--FlowMesh:Ingest:Port={ports[0]}",
            $"--FlowMesh:Query:Port={ports[1]}",
            $"--FlowMesh:Cluster:SiloPort={ports[2]}",
            $"--FlowMesh:Cluster:GatewayPort={ports[3]}",
            .. extraArgs,
        ];
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (accessKey is not null) start.Environment["FlowMesh__Ingest__AccessKey"] = accessKey;
        var process = Process.Start(start) ?? throw new InvalidOperationException("flowmesh-server did not start");
        return new ServerProcess(process, ports[0], ports[1]);
    }

    /// <summary>Polls <c>/health/ready</c> (the query role's cluster check) until it answers 200, or fails at the deadline.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        var cancellationToken = TestContext.Current.CancellationToken;
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"flowmesh-server exited with {_process.ExitCode} before it was ready:\n{Log}");
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{IngestPort}/health/ready"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"flowmesh-server was not ready within {timeout.TotalSeconds:0} s:\n{Log}");
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Sends SIGTERM (what Kubernetes and systemd send) and returns the exit code, or throws if it outlives <paramref name="timeout"/>.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        // SIGTERM rather than SIGINT: a process started in the background of a non-interactive shell
        // (CI) inherits SIGINT as ignored, and the runtime keeps it ignored.
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"flowmesh-server did not exit within {timeout.TotalSeconds:0} s of SIGTERM:\n{Log}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }
}
