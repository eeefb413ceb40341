using System.Net;
using FlowMesh.Grains;
using FlowMesh.Grains.Durability;
using FlowMesh.Server.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace FlowMesh.Server.Cluster;

/// <summary>Orleans silo/client wiring for the roles this process hosts.</summary>
public static class ClusterHostingExtensions
{
    /// <summary>Section Orleans' <see cref="ClusterMembershipOptions"/> bind from (probe timeouts, votes), for tuning failure detection.</summary>
    public const string MembershipSectionName = FlowMeshClusterOptions.SectionName + ":Membership";

    /// <summary>
    /// Section Orleans' messaging options bind from (<c>ResponseTimeout</c>, default 30 s): how long
    /// a grain call to a silo that died without answering waits before it fails.
    /// </summary>
    public const string MessagingSectionName = FlowMeshClusterOptions.SectionName + ":Messaging";

    /// <summary>
    /// Adds the Orleans silo when the process has the silo role (ingest and query then call grains
    /// in-process), or a cluster client when it hosts only ingest and/or query. The membership
    /// provider comes from <c>FlowMesh:Cluster:Provider</c>; invalid settings throw
    /// <see cref="OptionsValidationException"/> before anything starts.
    /// </summary>
    public static IHostApplicationBuilder AddFlowMeshCluster(this IHostApplicationBuilder builder, ServerRoles roles)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        // The provider decides which Orleans services exist, so the options are read and checked
        // now; ValidateOnStart below keeps the same check on the options the container resolves.
        var options = configuration.GetSection(FlowMeshClusterOptions.SectionName).Get<FlowMeshClusterOptions>() ?? new FlowMeshClusterOptions();
        var failures = FlowMeshClusterOptionsValidator.Failures(options, configuration, roles);
        if (failures.Count > 0)
            throw new OptionsValidationException(FlowMeshClusterOptions.SectionName, typeof(FlowMeshClusterOptions), failures);

        builder.Services.AddSingleton<IValidateOptions<FlowMeshClusterOptions>>(new FlowMeshClusterOptionsValidator(configuration, roles));
        builder.Services.AddOptions<FlowMeshClusterOptions>()
            .BindConfiguration(FlowMeshClusterOptions.SectionName)
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);

        var provider = options.ParsedProvider;
        if (roles.HasFlag(ServerRoles.Silo))
        {
            var durability = configuration.GetSection(DurabilityOptions.SectionName).Get<DurabilityOptions>() ?? new DurabilityOptions();
            var durabilityFailures = GrainDurability.Failures(durability, options);
            if (durabilityFailures.Count > 0)
                throw new OptionsValidationException(DurabilityOptions.SectionName, typeof(DurabilityOptions), durabilityFailures);
            GrainDurability.AddGrainJournal(builder.Services, durability, options);
            builder.Services.AddOptions<AggregationOptions>()
                .BindConfiguration(AggregationOptions.SectionName)
                .ValidateDataAnnotations()
                .ValidateOnStart();
            builder.UseOrleans(silo => ConfigureSilo(silo, options, ListenAddress(configuration)));
            var journal = GrainDurability.EffectiveJournal(durability, options);
            builder.Services.AddHostedService(sp => new ClusterStartupLog(sp.GetRequiredService<ILogger<ClusterStartupLog>>(), "silo", provider, options, journal));
        }
        else if (roles.HasFlag(ServerRoles.Ingest) || roles.HasFlag(ServerRoles.Query))
        {
            builder.UseOrleansClient(client => ConfigureClient(client, options));
            builder.Services.AddHostedService(sp => new ClusterStartupLog(sp.GetRequiredService<ILogger<ClusterStartupLog>>(), "client", provider, options, null));
        }
        return builder;
    }

    private static void ConfigureSilo(ISiloBuilder silo, FlowMeshClusterOptions options, IPAddress listen)
    {
        silo.Services.AddOptions<ClusterMembershipOptions>().BindConfiguration(MembershipSectionName);
        silo.Services.AddOptions<SiloMessagingOptions>().BindConfiguration(MessagingSectionName);
        var provider = options.ParsedProvider;
        if (provider == ClusterProvider.Localhost)
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            return;
        }

        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        silo.UseRedisClustering(redis => redis.ConfigurationOptions = RedisConfiguration(options));
        if (provider == ClusterProvider.Kubernetes)
        {
            // Kubernetes hosting post-configures the rest of the endpoints: it advertises POD_IP and
            // listens on every address of the pod; it also names the silo after the pod and labels
            // the pod orleans/clusterId and orleans/serviceId. Deleting pods of dead silos stays off,
            // so the Role in deploy/k8s grants get, list, watch and patch on pods, not delete.
            silo.Configure<EndpointOptions>(endpoints =>
            {
                endpoints.SiloPort = options.SiloPort;
                endpoints.GatewayPort = options.GatewayPort;
            });
            silo.UseKubernetesHosting(hosting => hosting.Configure(k8s => k8s.DeleteDefunctSiloPods = false));
            return;
        }

        var advertised = options.AdvertisedIPAddress is { Length: > 0 } text ? IPAddress.Parse(text)
            : IsUnspecified(listen) ? null
            : listen;
        if (advertised is null)
        {
            // Listening on every address with nothing to advertise: Orleans advertises the host's own address.
            silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
            return;
        }
        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.AdvertisedIPAddress = advertised;
            endpoints.SiloPort = options.SiloPort;
            endpoints.GatewayPort = options.GatewayPort;
            endpoints.SiloListeningEndpoint = new IPEndPoint(listen, options.SiloPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(listen, options.GatewayPort);
        });
    }

    private static void ConfigureClient(IClientBuilder client, FlowMeshClusterOptions options)
    {
        client.UseConnectionRetryFilter<GatewayConnectRetryFilter>();
        client.Services.AddOptions<ClientMessagingOptions>().BindConfiguration(MessagingSectionName);
        if (options.ParsedProvider == ClusterProvider.Localhost)
        {
            client.UseLocalhostClustering(options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            return;
        }
        client.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        // The gateway list is the set of active silos in the Redis membership table.
        client.UseRedisClustering(redis => redis.ConfigurationOptions = RedisConfiguration(options));
    }

    private static ConfigurationOptions RedisConfiguration(FlowMeshClusterOptions options)
    {
        var redis = ConfigurationOptions.Parse(options.RedisConnectionString!);
        // Keep trying while Redis restarts instead of failing the silo's membership calls for good.
        redis.AbortOnConnectFail = false;
        return redis;
    }

    private static IPAddress ListenAddress(IConfiguration configuration) =>
        configuration[ServerListenSettings.ListenAddressKey] is { Length: > 0 } text && IPAddress.TryParse(text, out var address)
            ? address
            : IPAddress.Loopback;

    private static bool IsUnspecified(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}
