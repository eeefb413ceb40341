using System.ComponentModel.DataAnnotations;

namespace FlowMesh.Grains;

/// <summary>
/// Sizes of the aggregation grains (configuration section <c>FlowMesh:Aggregation</c>).
/// Memory per grain is bounded by: buckets (60) × dimensions × metrics (4) × capacity × ~170 B
/// per summary entry, and summaries are allocated only for dimensions and metrics that saw data.
/// </summary>
public sealed class AggregationOptions
{
    public const string SectionName = "FlowMesh:Aggregation";

    /// <summary>Entries per heavy-hitter summary in leaderboard grains (per minute, dimension and metric).</summary>
    [Range(16, 65536)]
    public int LeaderboardCapacity { get; set; } = 256;

    /// <summary>Entries per summary in interface grains.</summary>
    [Range(8, 65536)]
    public int InterfaceCapacity { get; set; } = 64;

    /// <summary>Entries per summary in address grains.</summary>
    [Range(8, 65536)]
    public int AddressCapacity { get; set; } = 32;

    /// <summary>
    /// How long a grain remembers flush ids it applied. Must exceed how long the ingest role
    /// keeps retrying a partly applied flush (<c>FlowMesh:Ingest:PendingFlushRetention</c>, 15 min).
    /// </summary>
    public TimeSpan FlushIdRetention { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long applied Firehose request ids are remembered cluster-wide. Firehose retries for at
    /// most 7,200 s after the first failure (plus a 3-minute response timeout per attempt), so
    /// 2 h 15 min covers every retry of an acknowledged request.
    /// </summary>
    public TimeSpan DeliveryIdRetention { get; set; } = TimeSpan.FromMinutes(135);
}
