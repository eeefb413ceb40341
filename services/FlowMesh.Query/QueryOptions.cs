using System.ComponentModel.DataAnnotations;
using System.Net;

namespace FlowMesh.Query;

/// <summary>The gRPC query endpoint (configuration section <c>FlowMesh:Query</c>).</summary>
public sealed class QueryOptions : IValidatableObject
{
    public const string SectionName = "FlowMesh:Query";

    /// <summary>TCP port of the HTTP/2 (h2c) query endpoint; 0 picks a free port (tests).</summary>
    [Range(0, 65535, ErrorMessage = "FlowMesh:Query:Port must be 0..65535 (0 picks a free port); the default is 50051.")]
    public int Port { get; set; } = 50051;

    /// <summary>
    /// Address the endpoint binds to: an IP address, or <c>*</c> for every interface (the default,
    /// so the same setting works in a container). Use 127.0.0.1 to accept local clients only.
    /// </summary>
    public string ListenAddress { get; set; } = "*";

    /// <summary>
    /// Concurrent HTTP/2 streams per client connection (each open subscription holds one).
    /// Applies to the whole Kestrel server.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "FlowMesh:Query:MaxStreamsPerConnection must be 1..100000; the default is 100.")]
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>The address to bind, or null for every interface.</summary>
    public IPAddress? BindAddress => ListenAddress.Trim() == "*" ? null : IPAddress.Parse(ListenAddress.Trim());

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ListenAddress?.Trim() != "*" && !IPAddress.TryParse(ListenAddress?.Trim(), out _))
        {
            yield return new ValidationResult(
                $"FlowMesh:Query:ListenAddress '{ListenAddress}' is not an IP address; use '*' (every interface) or e.g. 127.0.0.1.",
                [nameof(ListenAddress)]);
        }
    }
}
