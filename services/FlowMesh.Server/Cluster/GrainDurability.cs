using FlowMesh.Grains.Durability;
using Orleans.Serialization;
using StackExchange.Redis;

namespace FlowMesh.Server.Cluster;

/// <summary>Which journal the silo's grains write (<see cref="DurabilityOptions"/>), checked and wired at start.</summary>
public static class GrainDurability
{
    private const string Section = DurabilityOptions.SectionName;

    /// <summary>The journal kind in effect: the configured one, else Redis on Redis membership and None on localhost.</summary>
    public static string EffectiveJournal(DurabilityOptions durability, FlowMeshClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(durability);
        ArgumentNullException.ThrowIfNull(cluster);
        if (durability.Journal is { Length: > 0 } configured) return configured;
        return cluster.ParsedProvider == ClusterProvider.Localhost ? "None" : "Redis";
    }

    /// <summary>Every problem with the durability settings; empty when valid.</summary>
    public static IReadOnlyList<string> Failures(DurabilityOptions durability, FlowMeshClusterOptions cluster)
    {
        var journal = EffectiveJournal(durability, cluster);
        if (durability.ViewRetention < TimeSpan.FromMinutes(1) || durability.ViewRetention > JournalRetention.Views)
            return [$"{Section}:ViewRetention {durability.ViewRetention} is out of range; use 00:01:00 to 01:05:00 (01:05:00 keeps the whole retained hour)."];
        if (string.Equals(journal, "None", StringComparison.OrdinalIgnoreCase)) return [];
        if (!string.Equals(journal, "Redis", StringComparison.OrdinalIgnoreCase))
            return [$"{Section}:Journal '{journal}' is not supported; use Redis (grains journal what they acknowledge) or None (state in memory only)."];
        return string.IsNullOrWhiteSpace(RedisConnectionString(durability, cluster))
            ? [$"{Section}:Journal is Redis but neither {Section}:RedisConnectionString nor {FlowMeshClusterOptions.SectionName}:RedisConnectionString is set; " +
               "set one through the environment (e.g. FlowMesh__Durability__RedisConnectionString=redis:6379,password=…), or set Journal to None."]
            : [];
    }

    /// <summary>Registers the journal the grains resolve; <see cref="NoGrainJournal"/> when journaling is off.</summary>
    public static void AddGrainJournal(IServiceCollection services, DurabilityOptions durability, FlowMeshClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<DurabilityOptions>().BindConfiguration(DurabilityOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (string.Equals(EffectiveJournal(durability, cluster), "None", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<IGrainJournal>(NoGrainJournal.Instance);
            return;
        }
        var redis = ConfigurationOptions.Parse(RedisConnectionString(durability, cluster)!);
        // Keep trying while Redis restarts; appends fail meanwhile and ingest retries the flush.
        redis.AbortOnConnectFail = false;
        services.AddKeyedSingleton<IConnectionMultiplexer>(nameof(GrainDurability), (_, _) => ConnectionMultiplexer.Connect(redis));
        services.AddSingleton<IGrainJournal>(sp => new RedisGrainJournal(
            sp.GetRequiredKeyedService<IConnectionMultiplexer>(nameof(GrainDurability)),
            sp.GetRequiredService<Serializer>(),
            cluster.ServiceId));
    }

    private static string? RedisConnectionString(DurabilityOptions durability, FlowMeshClusterOptions cluster) =>
        durability.RedisConnectionString is { Length: > 0 } own ? own : cluster.RedisConnectionString;
}
