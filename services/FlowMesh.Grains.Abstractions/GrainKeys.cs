using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Grains;

/// <summary>The one place grain keys are built. Keys are canonical so every caller reaches the same activation.</summary>
public static class GrainKeys
{
    /// <summary>Partitions of the delivery ledger (request ids are spread over them by a stable hash).</summary>
    public const int DeliveryLedgerPartitions = 16;

    /// <summary>Interface grains are keyed by the interface id exactly as AWS writes it (eni-…).</summary>
    public static string Interface(string interfaceId) => interfaceId;

    /// <summary>Address grains are keyed by the canonical text form (dotted quad, RFC 5952 IPv6).</summary>
    public static string Address(FlowAddress address) => address.ToString();

    /// <summary>Leaderboard grains are keyed by scope: all, account:&lt;id&gt;, vpc:&lt;id&gt;.</summary>
    public static string Leaderboard(string scope) => scope;

    public static string AllLeaderboard => LeaderboardScope.All;

    /// <summary>The one grain that gathers malformed-record reports from every ingest process.</summary>
    public static string IngestErrors => "cluster";

    /// <summary>The one grain that numbers and keeps alert transitions.</summary>
    public static string AlertLog => "cluster";

    /// <summary>Alert rule grains are keyed by rule name.</summary>
    public static string AlertRule(string name) => name;

    /// <summary>Stable (process-independent) partition of a Firehose request id.</summary>
    public static long DeliveryLedger(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        // FNV-1a: string.GetHashCode is randomised per process, and every ingest pod must agree.
        var hash = 2166136261u;
        foreach (var c in requestId)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return hash % DeliveryLedgerPartitions;
    }
}
