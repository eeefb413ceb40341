namespace FlowMesh.Grains.Durability;

/// <summary>One applied flush of an aggregation grain and the time it was applied (replay uses the same time, so late/future classification and bucket roll-over are reproduced exactly).</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.AppliedDeltaEntry")]
public sealed record AppliedDeltaEntry(
    [property: Id(0)] long AppliedAtUtcTicks,
    [property: Id(1)] FlowDelta Delta)
{
    public DateTimeOffset AppliedAt => new(AppliedAtUtcTicks, TimeSpan.Zero);
}

/// <summary>Request ids a delivery-ledger partition marked applied, and when.</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.LedgerEntry")]
public sealed record LedgerEntry(
    [property: Id(0)] long MarkedAtUtcTicks,
    [property: Id(1)] string[] RequestIds);
