using System.ComponentModel.DataAnnotations;

namespace FlowMesh.Server.Cluster;

/// <summary>How this process finds the Orleans cluster (configuration section <c>FlowMesh:Cluster</c>).</summary>
public sealed class FlowMeshClusterOptions
{
    public const string SectionName = "FlowMesh:Cluster";

    /// <summary><c>Localhost</c> (the embedded default: one silo, in-memory) is the only provider so far.</summary>
    public string Provider { get; set; } = "Localhost";

    [Required]
    public string ClusterId { get; set; } = "flowmesh";

    [Required]
    public string ServiceId { get; set; } = "flowmesh";

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients (ingest/query processes without a silo) connect to.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;
}
