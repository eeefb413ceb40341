using FlowMesh.Grains;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FlowMesh.Server.Cluster;

/// <summary>Orleans silo/client wiring for the roles this process hosts.</summary>
public static class ClusterHostingExtensions
{
    /// <summary>
    /// Adds the Orleans silo when the process has the silo role (ingest and query then call grains
    /// in-process), or a cluster client when it hosts only ingest and/or query.
    /// </summary>
    public static IHostApplicationBuilder AddFlowMeshCluster(this IHostApplicationBuilder builder, ServerRoles roles)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(FlowMeshClusterOptions.SectionName).Get<FlowMeshClusterOptions>() ?? new FlowMeshClusterOptions();
        if (!string.Equals(options.Provider, "Localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw new OptionsValidationException(FlowMeshClusterOptions.SectionName, typeof(FlowMeshClusterOptions),
                [$"{FlowMeshClusterOptions.SectionName}:Provider '{options.Provider}' is not supported; use 'Localhost'."]);
        }
        builder.Services.TryAddSingleton(TimeProvider.System);

        if (roles.HasFlag(ServerRoles.Silo))
        {
            builder.Services.AddOptions<AggregationOptions>()
                .BindConfiguration(AggregationOptions.SectionName)
                .ValidateDataAnnotations()
                .ValidateOnStart();
            builder.UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            });
        }
        else if (roles.HasFlag(ServerRoles.Ingest) || roles.HasFlag(ServerRoles.Query))
        {
            builder.UseOrleansClient(client =>
            {
                client.UseLocalhostClustering(options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            });
        }
        return builder;
    }
}
