using System.Diagnostics.CodeAnalysis;

namespace FlowMesh.Aggregation;

public sealed partial class SpaceSaving<TKey>
{
    /// <summary>
    /// The held entries in internal slot order (unsorted), for serialization; restore with
    /// <see cref="FromEntries"/> together with <see cref="TotalWeight"/>, <see cref="MinCount"/> and
    /// <see cref="IsExact"/>.
    /// </summary>
    public Estimate<TKey>[] ToArray()
    {
        var result = new Estimate<TKey>[_count];
        for (var i = 0; i < _count; i++)
        {
            ref readonly var slot = ref _slots[i];
            result[i] = new Estimate<TKey>(slot.Key, slot.Count, slot.Error);
        }
        return result;
    }

    /// <summary>
    /// Rebuilds a summary from a snapshot taken with <see cref="ToArray"/>. <paramref name="minCount"/>
    /// is kept as a floor under <see cref="MinCount"/>, so the absent-key bound survives the round trip
    /// even if the entries were trimmed.
    /// </summary>
    /// <exception cref="ArgumentException">More entries than capacity, a duplicate key, or an entry whose
    /// Error is negative or exceeds its Count.</exception>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Factory shaped by the grain contract; SpaceSavingSummary offers the inferred form.")]
    public static SpaceSaving<TKey> FromEntries(int capacity, long totalWeight, long minCount, bool isExact, IEnumerable<Estimate<TKey>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfNegative(totalWeight);
        ArgumentOutOfRangeException.ThrowIfNegative(minCount);
        var array = entries.ToArray();
        if (array.Length > capacity)
            throw new ArgumentException($"{array.Length} entries do not fit a capacity of {capacity}.", nameof(entries));
        foreach (var e in array)
        {
            if (e.Count <= 0 || e.Error < 0 || e.Error > e.Count)
                throw new ArgumentException($"Entry {e} must have 0 ≤ Error ≤ Count and Count > 0.", nameof(entries));
        }
        var result = new SpaceSaving<TKey>(capacity);
        result.Load(array, totalWeight, minCount, isExact);
        return result;
    }

    // Wraps entries already validated by their producer (MultiMetricSpaceSaving) without copying them.
    internal static SpaceSaving<TKey> Restore(int capacity, Estimate<TKey>[] entries, long totalWeight, long minFloor, bool isExact)
    {
        var result = new SpaceSaving<TKey>(capacity);
        result.Load(entries, totalWeight, minFloor, isExact);
        return result;
    }
}
