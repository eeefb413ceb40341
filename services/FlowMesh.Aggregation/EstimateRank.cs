namespace FlowMesh.Aggregation;

/// <summary>
/// The ranking order of estimates: Count descending, then Error ascending (the better-known value
/// first), then key order when the key is comparable, else hash code. Deterministic for equal inputs
/// (string hash codes are randomised per process, which is why comparable keys use their order).
/// </summary>
internal static class EstimateRank<TKey> where TKey : IEquatable<TKey>
{
    private static readonly bool KeysAreComparable = typeof(IComparable<TKey>).IsAssignableFrom(typeof(TKey));

    public static readonly Comparison<Estimate<TKey>> Comparison = Compare;

    public static int Compare(Estimate<TKey> x, Estimate<TKey> y)
    {
        var c = y.Count.CompareTo(x.Count);
        if (c != 0) return c;
        c = x.Error.CompareTo(y.Error);
        if (c != 0) return c;
        return KeysAreComparable
            ? Comparer<TKey>.Default.Compare(x.Key, y.Key)
            : EqualityComparer<TKey>.Default.GetHashCode(x.Key!).CompareTo(EqualityComparer<TKey>.Default.GetHashCode(y.Key!));
    }
}
