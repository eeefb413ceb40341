using FlowMesh.Grains.Durability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace FlowMesh.Grains.Tests;

/// <summary>One in-process Orleans cluster for the collection, with time driven by the tests.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 12, 0, 30, TimeSpan.Zero));

    public FaultInjector Faults { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The silo's journal (one silo in this cluster).</summary>
    public MemoryGrainJournal Journal => Cluster.Silos[0].ServiceProvider.GetRequiredService<MemoryGrainJournal>();

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(Time);
            silo.Services.AddSingleton(Faults);
            // Every grain journals what it applies (serialized for real), so deactivation tests can replay.
            silo.Services.AddSingleton<MemoryGrainJournal>();
            silo.Services.AddSingleton<IGrainJournal>(sp => sp.GetRequiredService<MemoryGrainJournal>());
            silo.Services.AddOptions<AggregationOptions>().Configure(o =>
            {
                o.LeaderboardCapacity = 256;
                o.InterfaceCapacity = 64;
                o.AddressCapacity = 32;
            });
            silo.AddIncomingGrainCallFilter<FaultInjectionFilter>();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterGroup : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
