namespace FlowMesh.Aggregation;

/// <summary>
/// A window's top-N contributors for one dimension and metric, with the window's exact totals.
/// </summary>
/// <param name="Items">By value descending; each with its own error bound.</param>
/// <param name="Totals">Exact sums over the window's buckets (reject rate included).</param>
/// <param name="Exact">True when every listed value is exact and no contributor outside the list could outrank one in it.</param>
/// <param name="MaxError">
/// The largest overestimate of any listed value, and an upper bound on the true value of any contributor
/// the summary no longer holds; 0 when <paramref name="Exact"/>. A contributor missing from the list
/// whose true value exceeds it is therefore impossible unless the list was cut by the limit.
/// </param>
public sealed record TopContributors(IReadOnlyList<Contributor> Items, FlowTotals Totals, bool Exact, long MaxError)
{
    /// <summary>Exact rejected flows / flows in the window.</summary>
    public double RejectRate => Totals.RejectRate;
}
