using System.ComponentModel.DataAnnotations;

namespace FlowMesh.Server.Cluster;

/// <summary>How this process finds the Orleans cluster (configuration section <c>FlowMesh:Cluster</c>).</summary>
public sealed class FlowMeshClusterOptions
{
    public const string SectionName = "FlowMesh:Cluster";

    /// <summary>Default silo-to-silo port.</summary>
    public const int DefaultSiloPort = 11111;

    /// <summary>Default port clients (ingest/query processes without a silo) connect to.</summary>
    public const int DefaultGatewayPort = 30000;

    /// <summary>Environment variable (and configuration key) that carries the Redis connection string in containers.</summary>
    public const string RedisConnectionStringVariable = "FlowMesh__Cluster__RedisConnectionString";

    /// <summary>
    /// <c>Localhost</c> (default: one silo, embedded), <c>Redis</c> (Redis membership) or
    /// <c>Kubernetes</c> (Redis membership plus the Orleans Kubernetes hosting integration).
    /// </summary>
    public string Provider { get; set; } = nameof(ClusterProvider.Localhost);

    /// <summary>
    /// StackExchange.Redis connection string of the membership store (e.g. <c>redis:6379,password=…</c>);
    /// required by <c>Redis</c> and <c>Kubernetes</c>. A secret: set it through the environment
    /// (<c>FlowMesh__Cluster__RedisConnectionString</c>, a Kubernetes Secret), never in a file.
    /// </summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>Identifies one deployment of the cluster; silos and clients must agree on it.</summary>
    [Required]
    public string ClusterId { get; set; } = "flowmesh";

    /// <summary>Identifies the service across deployments (keys of any persisted state).</summary>
    [Required]
    public string ServiceId { get; set; } = "flowmesh";

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = DefaultSiloPort;

    /// <summary>Port clients (ingest/query processes without a silo) connect to.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = DefaultGatewayPort;

    /// <summary>
    /// The address other silos and clients reach this silo on (<c>Redis</c> provider). Unset: the
    /// listen address (<c>FlowMesh:ListenAddress</c>) when it is a specific address, else the host's
    /// own address. <c>Kubernetes</c> takes it from POD_IP.
    /// </summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>
    /// How long a cluster client (ingest/query without a silo) keeps retrying its first connection
    /// before the process gives up and exits: silos may start after the clients.
    /// </summary>
    public TimeSpan GatewayConnectTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The provider this configuration names; only meaningful once validated.</summary>
    public ClusterProvider ParsedProvider =>
        Enum.TryParse<ClusterProvider>(Provider, ignoreCase: true, out var provider) ? provider : ClusterProvider.Localhost;
}
