namespace FlowMesh.Aggregation;

/// <summary>
/// The filter in front of a full Space-Saving summary (Homem and Carvalho, "Finding top-k elements
/// in data streams", 2010: Filtered Space-Saving): one counter per hash bucket, as many buckets as
/// the capacity rounded up to a power of two. <see cref="SpaceSaving{TKey}"/> and
/// <see cref="MultiMetricSpaceSaving{TKey}"/> share the bucket function, so they make the same choices.
/// </summary>
/// <remarks>
/// A key that is not held can only have weight its bucket's counter accounts for: a turned-away add
/// raises the counter, and an evicted key leaves its Count there. So a new key enters with the counter
/// as its Error, and when the counter plus its weight stays below the summary's minimum, it cannot
/// belong among the held keys yet: only the counter grows, with no eviction, no key-table insert and
/// no heap work. Counters never exceed the minimum (they grow only below it, and an evicted Count is
/// the minimum), so every Space-Saving bound holds as before, and the held Counts still sum to at
/// most the total, so MinCount ≤ total / capacity.
/// </remarks>
internal static class SpaceSavingFilter
{
    private const int MinimumBits = 3;  // 8 buckets
    private const int MaximumBits = 20; // 1 Mi buckets (8 MiB), whatever the capacity

    /// <summary>The shift that <see cref="Bucket"/> uses for a capacity: 64 minus the bucket bits.</summary>
    public static int Shift(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        var bits = 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)capacity - 1); // ceil(log2(capacity))
        return 64 - Math.Clamp(bits, MinimumBits, MaximumBits);
    }

    public static int Length(int shift) => 1 << (64 - shift);

    /// <summary>Fibonacci hashing of the key's hash code onto the buckets (the top bits of the product).</summary>
    public static int Bucket(int hashCode, int shift) => (int)(((ulong)(uint)hashCode * 0x9E3779B97F4A7C15UL) >> shift);
}
