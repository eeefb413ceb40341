namespace FlowMesh.FlowLogs;

/// <summary>A set of <see cref="FlowField"/>s as a 64-bit mask (all 40 fields fit).</summary>
public readonly record struct FlowFieldSet(ulong Bits)
{
    public static FlowFieldSet Empty => default;

    public bool Contains(FlowField field) => (Bits & (1UL << (int)field)) != 0;

    public FlowFieldSet With(FlowField field) => new(Bits | (1UL << (int)field));

    public FlowFieldSet Without(FlowField field) => new(Bits & ~(1UL << (int)field));

    public int Count => System.Numerics.BitOperations.PopCount(Bits);
}
