namespace FlowMesh.Aggregation;

/// <summary>
/// One row of a top-N answer. The true value lies in [<see cref="LowerBound"/>, <see cref="Value"/>]:
/// <see cref="Value"/> never underestimates and overestimates by at most <see cref="ErrorBound"/>
/// (0 when the answer is exact).
/// </summary>
/// <param name="Key">Who contributed.</param>
/// <param name="Value">Estimated bytes, packets, flows or rejected flows (an upper bound of the truth).</param>
/// <param name="ErrorBound">The most <paramref name="Value"/> may exceed the true value.</param>
/// <param name="Share">Value divided by the window's exact total of the same metric (0 when that is 0).</param>
public sealed record Contributor(ContributorKey Key, long Value, long ErrorBound, double Share)
{
    /// <summary>The guaranteed minimum of the true value.</summary>
    public long LowerBound => Value - ErrorBound;
}
