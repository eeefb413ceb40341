namespace FlowMesh.ServiceDefaults;

/// <summary>
/// Names of the ActivitySources and Meters FlowMesh code creates. Every name starts with
/// <see cref="Prefix"/>, so the service defaults subscribe to all of them with one wildcard.
/// </summary>
public static class FlowMeshTelemetry
{
    /// <summary>Common prefix of every FlowMesh ActivitySource and Meter name.</summary>
    public const string Prefix = "FlowMesh.";

    /// <summary>The wildcard OpenTelemetry uses to pick up every FlowMesh source and meter.</summary>
    public const string Wildcard = Prefix + "*";

    /// <summary>Meter and ActivitySource of the ingest role (Firehose endpoint, Kinesis source).</summary>
    public const string Ingest = Prefix + "Ingest";

    /// <summary>Meter and ActivitySource of the grains (aggregation cluster).</summary>
    public const string Grains = Prefix + "Grains";

    /// <summary>Meter and ActivitySource of the gRPC query role.</summary>
    public const string Query = Prefix + "Query";
}
