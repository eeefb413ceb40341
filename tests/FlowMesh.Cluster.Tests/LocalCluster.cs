using Grpc.Net.Client;
using FlowMesh.Testing;

namespace FlowMesh.Cluster.Tests;

/// <summary>
/// Redis plus three silo processes, one ingest process and one query process, joined through
/// Redis membership exactly as the Kubernetes Deployments are (Provider Redis instead of
/// Kubernetes: there is no API server here). Everything listens on 127.0.0.1.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ServerProcess> _processes = [];

    private LocalCluster(RedisServer redis, string accessKey)
    {
        Redis = redis;
        AccessKey = accessKey;
    }

    public RedisServer Redis { get; }

    public string AccessKey { get; }

    public IReadOnlyList<ServerProcess> Silos => _processes.Where(p => p.Name.StartsWith("silo", StringComparison.Ordinal)).ToList();

    public ServerProcess Ingest => _processes.Single(p => p.Name == "ingest");

    public ServerProcess Query => _processes.Single(p => p.Name == "query");

    public int QueryPort { get; private set; }

    public Uri FirehoseEndpoint => new($"http://127.0.0.1:{Ingest.HttpPort}/v1/firehose");

    public GrpcChannel OpenQueryChannel() => GrpcChannel.ForAddress($"http://127.0.0.1:{QueryPort}");

    /// <summary>Every process's output, for secret checks and failure messages.</summary>
    public IEnumerable<ServerProcess> Processes => _processes;

    public static async Task<LocalCluster> StartAsync(IReadOnlyDictionary<string, string>? extraSettings, CancellationToken cancellationToken)
    {
        var redis = await RedisServer.StartAsync(cancellationToken);
        var cluster = new LocalCluster(redis, "key-" + Guid.NewGuid().ToString("N"));
        try
        {
            var common = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["FlowMesh__Cluster__Provider"] = "Redis",
                ["FlowMesh__Cluster__RedisConnectionString"] = redis.ConnectionString,
                ["FlowMesh__Cluster__ClusterId"] = "cluster-test-" + Guid.NewGuid().ToString("N")[..8],
                ["shutdownTimeoutSeconds"] = "10",
            };
            foreach (var (key, value) in extraSettings ?? new Dictionary<string, string>())
                common[key] = value;

            for (var i = 1; i <= 3; i++)
            {
                cluster._processes.Add(ServerProcess.Start($"silo{i}", "silo", TestPorts.Next(), new Dictionary<string, string>(common)
                {
                    ["FlowMesh__Cluster__SiloPort"] = TestPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["FlowMesh__Cluster__GatewayPort"] = TestPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                }));
            }
            await Task.WhenAll(cluster.Silos.Select(s => s.WaitReadyAsync(StartTimeout, cancellationToken)));

            cluster.QueryPort = TestPorts.Next();
            cluster._processes.Add(ServerProcess.Start("ingest", "ingest", TestPorts.Next(), new Dictionary<string, string>(common)
            {
                ["FlowMesh__Ingest__AccessKey"] = cluster.AccessKey,
            }));
            cluster._processes.Add(ServerProcess.Start("query", "query", TestPorts.Next(), new Dictionary<string, string>(common)
            {
                ["FlowMesh__Query__Port"] = cluster.QueryPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
            await Task.WhenAll(cluster.Ingest.WaitReadyAsync(StartTimeout, cancellationToken), cluster.Query.WaitReadyAsync(StartTimeout, cancellationToken));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Servers first (they would otherwise wait on Redis while stopping), then Redis.
        foreach (var process in _processes)
            await process.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
