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
    [property: Id(2)] InterfaceMetadata? Interface = null);

/// <summary>What a grain did with a <see cref="FlowDelta"/>.</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.ApplyResult")]
public sealed record ApplyResult(
    [property: Id(0)] bool Duplicate,
    [property: Id(1)] long AppliedFlows,
    [property: Id(2)] long LateFlows,
    [property: Id(3)] long FutureFlows,
    [property: Id(4)] long Version);
