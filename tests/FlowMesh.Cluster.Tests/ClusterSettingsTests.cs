using FlowMesh.Server.Cluster;
using Microsoft.Extensions.Configuration;

namespace FlowMesh.Cluster.Tests;

/// <summary>The cluster settings are refused with a message that names the setting and how to fix it.</summary>
public sealed class ClusterSettingsTests
{
    private static readonly Dictionary<string, string?> InPod = new()
    {
        ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1",
        ["POD_NAME"] = "flowmesh-silo-0",
        ["POD_NAMESPACE"] = "flowmesh",
        ["POD_IP"] = "10.244.0.7",
    };

    [Fact]
    public void Validate_Defaults_LocalhostIsValid()
    {
        Assert.Empty(Failures(new FlowMeshClusterOptions(), [], ServerRoles.All));
    }

    [Fact]
    public void Validate_RedisWithoutConnectionString_NamesTheSettingAndTheVariable()
    {
        var failure = Assert.Single(Failures(new FlowMeshClusterOptions { Provider = "redis" }, [], ServerRoles.Query));

        Assert.Contains("FlowMesh:Cluster:Provider is Redis but FlowMesh:Cluster:RedisConnectionString is empty", failure, StringComparison.Ordinal);
        Assert.Contains("FlowMesh__Cluster__RedisConnectionString", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Consul")]
    [InlineData("1")]
    [InlineData("")]
    public void Validate_UnknownProvider_ListsTheSupportedOnes(string provider)
    {
        var failure = Assert.Single(Failures(new FlowMeshClusterOptions { Provider = provider }, [], ServerRoles.All));

        Assert.Contains("use Localhost (one process), Redis or Kubernetes", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KubernetesSiloOutsideAPod_AsksForTheDownwardApiVariables()
    {
        var failures = Failures(Kubernetes(), [], ServerRoles.Silo);

        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.Contains("KUBERNETES_SERVICE_HOST is not set", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("POD_IP is not set", StringComparison.Ordinal) && f.Contains("status.podIP", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_KubernetesSiloInAPod_IsValid()
    {
        Assert.Empty(Failures(Kubernetes(), InPod, ServerRoles.Silo));
    }

    [Fact]
    public void Validate_KubernetesClientOutsideAPod_NeedsOnlyRedis()
    {
        Assert.Empty(Failures(Kubernetes(), [], ServerRoles.Ingest | ServerRoles.Query));
    }

    [Fact]
    public void Validate_OrleansClusterIdDiffersFromFlowMeshClusterId_RefusesTheSilo()
    {
        var failure = Assert.Single(Failures(Kubernetes(), new Dictionary<string, string?>(InPod) { ["ORLEANS_CLUSTER_ID"] = "other" }, ServerRoles.Silo));

        Assert.Contains("ORLEANS_CLUSTER_ID 'other' differs from FlowMesh:Cluster:ClusterId 'flowmesh'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AdvertisedAddressNotAnIp_SaysWhatToSet()
    {
        var failure = Assert.Single(Failures(new FlowMeshClusterOptions { Provider = "Redis", RedisConnectionString = "redis:6379", AdvertisedIPAddress = "silo-1" }, [], ServerRoles.Silo));

        Assert.Contains("AdvertisedIPAddress 'silo-1' is not an IP address", failure, StringComparison.Ordinal);
    }

    private static FlowMeshClusterOptions Kubernetes() => new() { Provider = "Kubernetes", RedisConnectionString = "redis:6379,password=x" };

    private static IReadOnlyList<string> Failures(FlowMeshClusterOptions options, Dictionary<string, string?> settings, ServerRoles roles) =>
        FlowMeshClusterOptionsValidator.Failures(options, new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), roles);
}
