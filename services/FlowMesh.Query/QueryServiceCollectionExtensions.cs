using FlowMesh.Alerts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FlowMesh.Query;

/// <summary>Wiring of the gRPC query role into a host.</summary>
public static class QueryServiceCollectionExtensions
{
    /// <summary>
    /// Adds the query service (options <c>FlowMesh:Query</c>), its stream hub, gRPC health and
    /// reflection. Needs an <see cref="IGrainFactory"/> (an Orleans silo or client) in the
    /// container; the host listens on <see cref="QueryOptions.Port"/> with HTTP/2.
    /// </summary>
    public static IHostApplicationBuilder AddFlowMeshQuery(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<QueryOptions>()
            .BindConfiguration(QueryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<QueryMetrics>();
        services.AddFlowMeshAlertRules();
        services.TryAddSingleton<TopContributorsStreamHub>();
        services.AddHostedService<StreamHubShutdown>();
        services.AddGrpc().AddServiceOptions<FlowMeshQueryService>(o => o.Interceptors.Add<QueryInterceptor>());
        services.AddGrpcReflection();
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>(ClusterHealthCheck.Name, tags: [ClusterHealthCheck.ReadyTag]);
        // "" (the whole server) reports every check; the service name reports the query role's own.
        services.AddGrpcHealthChecks(o => o.Services.Map(Contracts.V1.FlowMeshQuery.Descriptor.FullName, r => r.Name == ClusterHealthCheck.Name));
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<QueryOptions>>((kestrel, options) => kestrel.Limits.Http2.MaxStreamsPerConnection = options.Value.MaxStreamsPerConnection);
        return builder;
    }

    /// <summary>Maps the query service, gRPC health and reflection, answering on the query port only.</summary>
    public static IEndpointRouteBuilder MapFlowMeshQuery(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGrpcService<FlowMeshQueryService>().Add(QueryEndpoint.RestrictToQueryPort);
        endpoints.MapGrpcHealthChecksService().Add(QueryEndpoint.RestrictToQueryPort);
        endpoints.MapGrpcReflectionService().Add(QueryEndpoint.RestrictToQueryPort);
        return endpoints;
    }
}
