using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FlowMesh.Testing;

namespace FlowMesh.Cluster.Tests;

/// <summary>
/// A throw-away redis-server on a free 127.0.0.1 port: no persistence, a random password (so the
/// connection string carries a secret the tests can look for in logs). Stopped on dispose.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port, string password)
    {
        _process = process;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string Password { get; }

    /// <summary>The StackExchange.Redis connection string FlowMesh is configured with.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},password={Password}";

    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken)
    {
        var port = TestPorts.Next();
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--requirepass", password, "--daemonize", "no", "--protected-mode", "yes" })
            start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed; run .ci/install-deps (apt-get install redis-server).", ex);
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, port, password);
        try
        {
            await Poll.UntilAsync(server.PingAsync, TimeSpan.FromSeconds(20), () => $"redis-server on port {port} answers PING", cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>True when the server accepts the password and answers PING.</summary>
    public async Task<bool> PingAsync()
    {
        if (_process.HasExited) throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}");
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"AUTH {Password}\r\nPING\r\n"));
            var buffer = new byte[64];
            var received = new StringBuilder();
            while (!received.ToString().Contains("+PONG", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0) return false;
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
