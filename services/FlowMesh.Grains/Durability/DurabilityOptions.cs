namespace FlowMesh.Grains.Durability;

/// <summary>Where grains journal what they acknowledged (configuration section <c>FlowMesh:Durability</c>).</summary>
public sealed class DurabilityOptions
{
    public const string SectionName = "FlowMesh:Durability";

    /// <summary>
    /// <c>None</c>: state in memory only — a silo that dies takes its grains' last hour with it.
    /// <c>Redis</c>: every grain appends each applied flush to a Redis stream before it answers and
    /// replays the stream when it is activated again. Unset: <c>Redis</c> when the cluster runs on
    /// Redis membership (<c>FlowMesh:Cluster:Provider</c> Redis or Kubernetes), else <c>None</c>.
    /// </summary>
    public string? Journal { get; set; }

    /// <summary>
    /// StackExchange.Redis connection string of the journal store. Unset: the cluster's
    /// (<c>FlowMesh:Cluster:RedisConnectionString</c>). A secret: set it through the environment.
    /// </summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>
    /// How much of an aggregation grain's history its journal keeps (and a reactivated grain gets
    /// back). The default, 65 minutes, covers the whole retained hour; a shorter value divides the
    /// journal's Redis memory proportionally, and a grain reactivated after a silo failure then
    /// has only the last <c>ViewRetention</c> of its hour (older minutes of it are lost). The
    /// delivery ledger always keeps its request ids for <c>FlowMesh:Aggregation:DeliveryIdRetention</c>.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:01:00", "01:05:00")]
    public TimeSpan ViewRetention { get; set; } = JournalRetention.Views;
}
