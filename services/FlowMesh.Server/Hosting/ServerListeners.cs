using FlowMesh.Server.Cluster;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FlowMesh.Server.Hosting;

/// <summary>Kestrel listeners of the roles this process hosts.</summary>
public static class ServerListeners
{
    /// <summary>
    /// The HTTP port always listens (health and metrics; the Firehose endpoint with the ingest
    /// role). It is HTTP/1.1: TLS ends at the ingress, and without TLS Kestrel cannot negotiate
    /// HTTP/2 on a shared HTTP/1.1+2 port (it warns and serves HTTP/1.1 only). The query port
    /// listens with the query role, HTTP/2 only, because gRPC over cleartext needs prior-knowledge HTTP/2.
    /// </summary>
    public static IWebHostBuilder ConfigureFlowMeshListeners(this IWebHostBuilder webHost, ServerListenSettings listen, ServerRoles roles)
    {
        ArgumentNullException.ThrowIfNull(listen);
        return webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(listen.Address, listen.HttpPort, endpoint => endpoint.Protocols = HttpProtocols.Http1);
            if (roles.HasFlag(ServerRoles.Query))
                kestrel.Listen(listen.Address, listen.QueryPort, endpoint => endpoint.Protocols = HttpProtocols.Http2);
        });
    }
}
