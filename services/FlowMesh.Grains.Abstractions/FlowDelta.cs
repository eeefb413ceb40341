using FlowMesh.Aggregation.Batching;

namespace FlowMesh.Grains;

/// <summary>
/// The rows of one flush that concern one grain. <see cref="FlushId"/> makes the call
/// idempotent: a grain applies a given flush at most once, so the ingest role can retry a
/// failed or timed-out call without double counting. <see cref="Rows"/> may be a slice of the ingest
/// role's reusable arena: a grain reads it during the call and keeps copies, never the memory itself.
/// </summary>
[GenerateSerializer, Immutable, Alias("flowmesh.FlowDelta")]
public sealed record FlowDelta(
    [property: Id(0)] Guid FlushId,
    [property: Id(1)] ReadOnlyMemory<FlowRow> Rows,
    [property: Id(2)] InterfaceMetadata? Interface = null,
    [property: Id(3)] FlushSequence Sequence = default);

/// <summary>
/// Where a flush stands in its ingest process's order, so grains can forget flush ids that will never
/// be sent again. <see cref="Source"/> identifies one ingest process (a new one per start),
/// <see cref="Number"/> counts its flushes from 1, and <see cref="SettledBelow"/> promises that every
/// flush of that source numbered below it is settled: applied by every grain it concerned, or given
/// up, so none of them is retried. A grain therefore needs to remember only the flushes at or above
/// it (normally the last one or two) instead of every flush id of the retention period.
/// <c>default</c> (no source) promises nothing: such ids are kept for the full retention.
/// </summary>
[GenerateSerializer, Immutable, Alias("flowmesh.FlushSequence")]
public readonly record struct FlushSequence(
    [property: Id(0)] Guid Source,
    [property: Id(1)] long Number,
    [property: Id(2)] long SettledBelow);

/// <summary>What a grain did with a <see cref="FlowDelta"/>.</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.ApplyResult")]
public sealed record ApplyResult(
    [property: Id(0)] bool Duplicate,
    [property: Id(1)] long AppliedFlows,
    [property: Id(2)] long LateFlows,
    [property: Id(3)] long FutureFlows,
    [property: Id(4)] long Version);
