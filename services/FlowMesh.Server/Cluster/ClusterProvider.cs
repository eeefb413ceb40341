namespace FlowMesh.Server.Cluster;

/// <summary>Where the silos of a FlowMesh cluster find each other (<c>FlowMesh:Cluster:Provider</c>).</summary>
public enum ClusterProvider
{
    /// <summary>One silo on this machine, no membership store: the embedded default for a laptop.</summary>
    Localhost,

    /// <summary>Membership in Redis (<c>FlowMesh:Cluster:RedisConnectionString</c>); clients read the gateway list from it.</summary>
    Redis,

    /// <summary>
    /// Redis membership plus the Orleans Kubernetes hosting integration on silos: silo name, address,
    /// cluster and service id from the pod (POD_NAME, POD_NAMESPACE, POD_IP, ORLEANS_CLUSTER_ID,
    /// ORLEANS_SERVICE_ID), and silos whose pods were deleted are declared dead at once.
    /// </summary>
    Kubernetes,
}
