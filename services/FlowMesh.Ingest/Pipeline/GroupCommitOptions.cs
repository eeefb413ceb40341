using System.ComponentModel.DataAnnotations;

namespace FlowMesh.Ingest.Pipeline;

/// <summary>
/// Group commit of Firehose deliveries (configuration section <c>FlowMesh:Ingest:GroupCommit</c>).
/// Requests that arrive within <see cref="FlushInterval"/> are merged into one flush, and every
/// grain gets at most one call per flush — grain calls are the scarce resource (PRODUCT.md).
/// </summary>
public sealed class GroupCommitOptions
{
    public const string SectionName = "FlowMesh:Ingest:GroupCommit";

    /// <summary>How long the first request of a flush waits for others to join it. Firehose allows 3 minutes.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Close a flush before <see cref="FlushInterval"/> once no other delivery is on its way (announced
    /// by the endpoint when its headers arrived, or being decoded): every request that could join it
    /// has joined. Firehose keeps a fixed number of requests in flight and
    /// sends the next only after an answer, so waiting longer then only adds latency and caps
    /// throughput at (requests in flight × records per request) / interval. Under load, deliveries
    /// are always being decoded and flushes still gather for the full interval.
    /// </summary>
    public bool FlushWhenAllJoined { get; set; } = true;

    /// <summary>
    /// With <see cref="FlushWhenAllJoined"/>, also close a flush as soon as at least as many deliveries
    /// have joined it as are still on their way. Those are decoded while it is applied, so decoding and
    /// applying overlap instead of taking turns: requests in flight settle into two halves that
    /// alternate. It costs smaller flushes (more grain calls per record) and keeps every core busy,
    /// which lengthens the query tail on a small machine; off by default (see README, "Flushing in halves").
    /// </summary>
    public bool FlushWhenHalfJoined { get; set; }

    /// <summary>A flush closes early once its requests hold this many combined rows.</summary>
    [Range(1_000, 10_000_000)]
    public int MaxRowsPerFlush { get; set; } = 400_000;

    /// <summary>Requests waiting for a flush beyond this are answered 503 at once (overload; Firehose retries).</summary>
    [Range(1, 100_000)]
    public int MaxQueuedRequests { get; set; } = 512;

    /// <summary>Grain calls of one flush in flight at once.</summary>
    [Range(1, 4096)]
    public int MaxConcurrentGrainCalls { get; set; } = 64;

    /// <summary>
    /// How long a partly applied flush is kept (and retried) so a Firehose retry of one of its
    /// requests completes it instead of applying it again. Must stay below the grains'
    /// <c>FlowMesh:Aggregation:FlushIdRetention</c>.
    /// </summary>
    public TimeSpan PendingFlushRetention { get; set; } = TimeSpan.FromMinutes(15);
}
