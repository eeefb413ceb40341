namespace FlowMesh.Server.Cluster;

/// <summary>Orleans silo/client wiring for the roles this process hosts (owned by the grains work).</summary>
public static class ClusterHostingExtensions
{
    /// <summary>Adds the Orleans silo (role silo) or a cluster client (ingest/query without silo).</summary>
    public static IHostApplicationBuilder AddFlowMeshCluster(this IHostApplicationBuilder builder, ServerRoles roles)
    {
        ArgumentNullException.ThrowIfNull(builder);
        _ = roles;
        return builder;
    }
}
