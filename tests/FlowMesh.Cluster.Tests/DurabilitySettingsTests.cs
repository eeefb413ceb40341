using FlowMesh.Grains.Durability;
using FlowMesh.Server.Cluster;

namespace FlowMesh.Cluster.Tests;

/// <summary>Which journal a silo uses by default, and the messages for settings that cannot work.</summary>
public sealed class DurabilitySettingsTests
{
    private static readonly FlowMeshClusterOptions Localhost = new();
    private static readonly FlowMeshClusterOptions Redis = new() { Provider = "Redis", RedisConnectionString = "127.0.0.1:6379" };

    [Theory]
    [InlineData("Localhost", "None")]
    [InlineData("Redis", "Redis")]
    [InlineData("Kubernetes", "Redis")]
    public void EffectiveJournal_Unset_FollowsTheMembershipProvider(string provider, string expected)
    {
        var cluster = new FlowMeshClusterOptions { Provider = provider, RedisConnectionString = "127.0.0.1:6379" };

        Assert.Equal(expected, GrainDurability.EffectiveJournal(new DurabilityOptions(), cluster));
        Assert.Empty(GrainDurability.Failures(new DurabilityOptions(), cluster));
    }

    [Fact]
    public void Failures_RedisJournalOnLocalhostWithoutConnectionString_NamesBothSettings()
    {
        var failure = Assert.Single(GrainDurability.Failures(new DurabilityOptions { Journal = "Redis" }, Localhost));

        Assert.Contains("FlowMesh:Durability:Journal is Redis but neither FlowMesh:Durability:RedisConnectionString nor FlowMesh:Cluster:RedisConnectionString is set", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Failures_RedisJournalWithItsOwnConnectionString_IsValidOnLocalhost()
    {
        Assert.Empty(GrainDurability.Failures(new DurabilityOptions { Journal = "redis", RedisConnectionString = "journal:6379" }, Localhost));
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("S3")]
    public void Failures_UnknownJournal_ListsTheSupportedOnes(string journal)
    {
        var failure = Assert.Single(GrainDurability.Failures(new DurabilityOptions { Journal = journal }, Redis));

        Assert.Contains($"FlowMesh:Durability:Journal '{journal}' is not supported; use Redis", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Failures_JournalNoneOnRedisMembership_IsAllowed()
    {
        Assert.Equal("None", GrainDurability.EffectiveJournal(new DurabilityOptions { Journal = "None" }, Redis));
        Assert.Empty(GrainDurability.Failures(new DurabilityOptions { Journal = "None" }, Redis));
    }

    [Theory]
    [InlineData("00:00:30")]
    [InlineData("02:00:00")]
    public void Failures_ViewRetentionOutOfRange_GivesTheRange(string retention)
    {
        var failure = Assert.Single(GrainDurability.Failures(new DurabilityOptions { ViewRetention = TimeSpan.Parse(retention, System.Globalization.CultureInfo.InvariantCulture) }, Redis));

        Assert.Contains("FlowMesh:Durability:ViewRetention", failure, StringComparison.Ordinal);
        Assert.Contains("use 00:01:00 to 01:05:00", failure, StringComparison.Ordinal);
    }
}
