namespace FlowMesh.Aggregation;

/// <summary>
/// One entry of a <see cref="SpaceSaving{TKey}"/> summary. The key's true weight lies in
/// [<see cref="LowerBound"/>, <see cref="Count"/>]: <see cref="Count"/> never underestimates, and
/// it overestimates by at most <see cref="Error"/>, which is itself at most the summary's
/// <see cref="SpaceSaving{TKey}.MinCount"/> (and so at most TotalWeight / Capacity).
/// </summary>
/// <param name="Key">The contributor.</param>
/// <param name="Count">Upper bound (and the reported value) of the key's true weight.</param>
/// <param name="Error">How much of <paramref name="Count"/> may belong to keys this entry replaced; 0 when exact.</param>
public readonly record struct Estimate<TKey>(TKey Key, long Count, long Error)
{
    /// <summary>Guaranteed minimum of the key's true weight.</summary>
    public long LowerBound => Count - Error;
}
