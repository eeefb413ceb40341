namespace FlowMesh.Aggregation;

/// <summary>Type-inferring entry points for <see cref="SpaceSaving{TKey}"/> (same bounds as its members).</summary>
public static class SpaceSavingSummary
{
    /// <inheritdoc cref="SpaceSaving{TKey}.Merge"/>
    public static SpaceSaving<TKey> Merge<TKey>(IEnumerable<SpaceSaving<TKey>> parts, int capacity)
        where TKey : IEquatable<TKey> => SpaceSaving<TKey>.Merge(parts, capacity);
}
