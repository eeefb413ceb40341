using System.Net;
using FlowMesh.Ingest.Firehose;

namespace FlowMesh.Server.Hosting;

/// <summary>
/// Where the server listens: one address (<c>FlowMesh:ListenAddress</c>, 127.0.0.1 for the
/// embedded default, 0.0.0.0 in containers), the HTTP port (<c>FlowMesh:Ingest:Port</c>, 8080:
/// Firehose, health, metrics) and the gRPC port (<c>FlowMesh:Query:Port</c>, 50051, HTTP/2 only).
/// </summary>
public sealed record ServerListenSettings(IPAddress Address, int HttpPort, int QueryPort)
{
    public const string ListenAddressKey = "FlowMesh:ListenAddress";
    public const string QueryPortKey = "FlowMesh:Query:Port";
    public const int DefaultQueryPort = 50051;

    public static ServerListenSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var addressText = configuration[ListenAddressKey];
        var address = string.IsNullOrWhiteSpace(addressText) ? IPAddress.Loopback
            : IPAddress.TryParse(addressText, out var parsed) ? parsed
            : throw new FormatException($"{ListenAddressKey} '{addressText}' is not an IP address; use e.g. 127.0.0.1 or 0.0.0.0.");
        var httpPort = configuration.GetValue($"{IngestOptions.SectionName}:{nameof(IngestOptions.Port)}", IngestOptions.DefaultPort);
        var queryPort = configuration.GetValue(QueryPortKey, DefaultQueryPort);
        return new ServerListenSettings(address, httpPort, queryPort);
    }

    /// <summary>Base URL of a port for people to read (0.0.0.0 is shown as-is).</summary>
    public string Url(int port) => UrlOf(Address, port);

    /// <summary>
    /// Base URL this process reaches its own port on: the listen address, or the loopback address
    /// of the same family when it listens on every address (0.0.0.0, ::).
    /// </summary>
    public string LoopbackUrl(int port) => UrlOf(
        Address.Equals(IPAddress.Any) ? IPAddress.Loopback : Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : Address, port);

    private static string UrlOf(IPAddress address, int port) =>
        $"http://{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())}:{port}";
}
