using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlowMesh.Query;

/// <summary>
/// Keeps the query, health and reflection services on the query port: a process that also serves
/// the Firehose endpoint does not expose them there.
/// </summary>
internal static class QueryEndpoint
{
    /// <summary>Endpoint convention: requests that arrived on another port get 404.</summary>
    public static void RestrictToQueryPort(EndpointBuilder endpoint)
    {
        if (endpoint.RequestDelegate is not { } next) return;
        endpoint.RequestDelegate = context =>
        {
            var port = context.RequestServices.GetRequiredService<IOptions<QueryOptions>>().Value.Port;
            if (port == 0 || context.Connection.LocalPort == port) return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        };
    }
}
