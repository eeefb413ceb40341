using System.ComponentModel.DataAnnotations;

namespace FlowMesh.Query;

/// <summary>The gRPC query role (configuration section <c>FlowMesh:Query</c>).</summary>
public sealed class QueryOptions
{
    public const string SectionName = "FlowMesh:Query";

    /// <summary>
    /// The gRPC port. The host listens on it (HTTP/2 only); the query, health and reflection
    /// services answer only on it, so they are not exposed on the Firehose port. 0 lifts the
    /// restriction (test hosts that bind a dynamic port).
    /// </summary>
    [Range(0, 65535, ErrorMessage = "FlowMesh:Query:Port must be 1..65535 (or 0 to answer on any port); the default is 50051.")]
    public int Port { get; set; } = 50051;

    /// <summary>
    /// Concurrent HTTP/2 streams per client connection (each open subscription holds one); applies
    /// to the whole Kestrel server.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "FlowMesh:Query:MaxStreamsPerConnection must be 1..100000; the default is 100.")]
    public int MaxStreamsPerConnection { get; set; } = 100;
}
