namespace FlowMesh.Cluster.Tests;

/// <summary>
/// The multi-process tests run one after the other: two clusters of five server processes at once
/// on a 2-core machine would distort the failover figures and the timeouts.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterProcesses
{
    public const string Name = "cluster processes";
}
