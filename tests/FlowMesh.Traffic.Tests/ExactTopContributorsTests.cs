using FlowMesh.Contracts.V1;
using FlowMesh.LoadTest;

namespace FlowMesh.Traffic.Tests;

/// <summary>
/// The load harness's top-10 verdict: identical, within the reported error bounds (the product's
/// accuracy goal), or different. Each case builds a server answer against a known exact table.
/// </summary>
public sealed class ExactTopContributorsTests
{
    // Twelve keys; "k9", "k10" and "k11" tie at the cut of the top 10.
    private static readonly Dictionary<string, long> Exact = Enumerable.Range(0, 12)
        .ToDictionary(i => $"k{i}", i => i < 9 ? 1_000L - 10 * i : 900L, StringComparer.Ordinal);

    private static List<Contributor> ExactAnswer() =>
        [.. Exact.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(10)
            .Select(p => new Contributor { Label = p.Key, Value = p.Value })];

    [Fact]
    public void ExactAnswer_IsIdentical()
    {
        var (verdict, details) = ExactTopContributors.Compare("t", ExactAnswer(), Exact);
        Assert.Equal(TopTenVerdict.Identical, verdict);
        Assert.Empty(details);
    }

    [Fact]
    public void TiedKeyAtTheCut_MayStandInForTheOther()
    {
        var answer = ExactAnswer();
        Assert.Equal(900, Exact[answer[9].Label]);
        var other = Exact.First(p => p.Value == 900 && p.Key != answer[9].Label).Key;
        answer[9] = new Contributor { Label = other, Value = 900 };
        Assert.Equal(TopTenVerdict.Identical, ExactTopContributors.Compare("t", answer, Exact).Verdict);
    }

    [Fact]
    public void OverestimateCoveredByItsBound_IsWithinBounds()
    {
        var answer = ExactAnswer();
        answer[3] = new Contributor { Label = answer[3].Label, Value = answer[3].Value + 2, ErrorBound = 2 };
        var (verdict, details) = ExactTopContributors.Compare("t", answer, Exact);
        Assert.Equal(TopTenVerdict.WithinBounds, verdict);
        Assert.Contains(details, d => d.Contains(answer[3].Label, StringComparison.Ordinal) && d.EndsWith("within the bound", StringComparison.Ordinal));
    }

    [Fact]
    public void ExactValueWithNonZeroBound_IsWithinBounds()
    {
        var answer = ExactAnswer();
        answer[0] = new Contributor { Label = answer[0].Label, Value = answer[0].Value, ErrorBound = 1 };
        Assert.Equal(TopTenVerdict.WithinBounds, ExactTopContributors.Compare("t", answer, Exact).Verdict);
    }

    [Theory]
    [InlineData(3, 0)]   // overestimate without a bound
    [InlineData(3, 2)]   // overestimate larger than its bound
    [InlineData(-1, 0)]  // underestimate: a Space-Saving value never lies below the truth
    public void ValueOutsideItsBound_IsDifferent(long overBy, long bound)
    {
        var answer = ExactAnswer();
        answer[5] = new Contributor { Label = answer[5].Label, Value = answer[5].Value + overBy, ErrorBound = bound };
        var (verdict, details) = ExactTopContributors.Compare("t", answer, Exact);
        Assert.Equal(TopTenVerdict.Different, verdict);
        Assert.Contains(details, d => d.EndsWith("outside the bound", StringComparison.Ordinal));
    }

    [Fact]
    public void KeyOutsideTheExactTopTen_IsDifferentEvenWhenItsValueIsBounded()
    {
        var exact = new Dictionary<string, long>(Exact, StringComparer.Ordinal) { ["small"] = 100 };
        var answer = ExactAnswer();
        // "small" is reported at the value of the 10th key, with a bound that covers its truth.
        answer[9] = new Contributor { Label = "small", Value = 900, ErrorBound = 800 };
        var (verdict, details) = ExactTopContributors.Compare("t", answer, exact);
        Assert.Equal(TopTenVerdict.Different, verdict);
        Assert.Contains(details, d => d.Contains("are not the exact top 10", StringComparison.Ordinal));
    }

    [Fact]
    public void KeyListedTwice_IsDifferent()
    {
        var answer = ExactAnswer();
        answer[1] = answer[0];
        Assert.Equal(TopTenVerdict.Different, ExactTopContributors.Compare("t", answer, Exact).Verdict);
    }

    [Fact]
    public void ShortList_IsDifferent()
    {
        var answer = ExactAnswer();
        answer.RemoveAt(9);
        Assert.Equal(TopTenVerdict.Different, ExactTopContributors.Compare("t", answer, Exact).Verdict);
    }
}
