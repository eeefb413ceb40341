using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace FlowMesh.Query;

/// <summary>
/// The query port's Kestrel endpoint (HTTP/2 without TLS, as gRPC clients inside a cluster and
/// the CLI expect). The query, health and reflection services answer only on it, so a process
/// that also serves the Firehose endpoint does not expose them there.
/// </summary>
internal sealed class QueryEndpoint
{
    private ListenOptions? _listen;

    /// <summary>The bound port (the real one once Kestrel has bound a port 0), or null when Kestrel was not configured.</summary>
    public int? Port => _listen?.IPEndPoint?.Port;

    public void Configure(KestrelServerOptions kestrel, QueryOptions options)
    {
        kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
        void Http2(ListenOptions listen)
        {
            listen.Protocols = HttpProtocols.Http2;
            _listen = listen;
        }
        if (options.BindAddress is { } address) kestrel.Listen(address, options.Port, Http2);
        else kestrel.ListenAnyIP(options.Port, Http2);
    }

    /// <summary>True when the request came in on the query port (or no query port was configured, e.g. a test server).</summary>
    public bool Accepts(HttpContext context) => Port is not { } port || context.Connection.LocalPort == port;

    /// <summary>Endpoint convention: requests on other ports get 404.</summary>
    public static void RestrictToQueryPort(EndpointBuilder endpoint)
    {
        if (endpoint.RequestDelegate is not { } next) return;
        endpoint.RequestDelegate = context =>
        {
            if (context.RequestServices.GetRequiredService<QueryEndpoint>().Accepts(context)) return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        };
    }
}
