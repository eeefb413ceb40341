namespace FlowMesh.Server.Cluster;

/// <summary>The roles one FlowMesh process can host.</summary>
[Flags]
public enum ServerRoles
{
    None = 0,
    Silo = 1,
    Ingest = 2,
    Query = 4,
    All = Silo | Ingest | Query,
}
