namespace FlowMesh.Alerts.Diagnostics;

/// <summary>What an interface's (or flow log's) records say about its capture filter.</summary>
public enum CaptureAssessment
{
    /// <summary>Too little evidence yet.</summary>
    Undetermined = 0,
    /// <summary>Both ACCEPT and REJECT records arrive: traffic type ALL (or at least both).</summary>
    Both = 1,
    /// <summary>Only ACCEPT records over a long, busy period: probably an ACCEPT-only flow log.</summary>
    ProbablyAcceptOnly = 2,
    /// <summary>Only REJECT records over a long, busy period: probably a REJECT-only flow log.</summary>
    ProbablyRejectOnly = 3,
}

/// <summary>When to call a one-sided capture "probable" (configurable: quiet interfaces need a longer look).</summary>
public sealed record CaptureFilterThresholds(TimeSpan MinimumPeriod, long MinimumFlows)
{
    public static CaptureFilterThresholds Default { get; } = new(TimeSpan.FromMinutes(30), 500);
}

/// <summary>
/// Detects a flow log that captures only ACCEPT (or only REJECT) traffic — the seed's trap:
/// rejected traffic never appears and troubleshooting looks in the wrong place. Any interface
/// reachable from the internet sees some rejected probes, so a long busy stretch with accepts
/// and not a single reject is strong evidence of an ACCEPT-only filter.
/// </summary>
public static class CaptureFilterDetector
{
    public const string AcceptOnlyAdvice =
        "probably capturing ACCEPT only — rejected traffic will not appear; create a flow log with traffic type ALL";

    public const string RejectOnlyAdvice =
        "probably capturing REJECT only — accepted traffic will not appear; create a flow log with traffic type ALL";

    public static CaptureAssessment Assess(long acceptedFlows, long rejectedFlows, TimeSpan observedFor, CaptureFilterThresholds? thresholds = null)
    {
        thresholds ??= CaptureFilterThresholds.Default;
        if (acceptedFlows > 0 && rejectedFlows > 0) return CaptureAssessment.Both;
        if (observedFor < thresholds.MinimumPeriod || acceptedFlows + rejectedFlows < thresholds.MinimumFlows) return CaptureAssessment.Undetermined;
        return acceptedFlows > 0 ? CaptureAssessment.ProbablyAcceptOnly : CaptureAssessment.ProbablyRejectOnly;
    }

    public static string? Advice(CaptureAssessment assessment) => assessment switch
    {
        CaptureAssessment.ProbablyAcceptOnly => AcceptOnlyAdvice,
        CaptureAssessment.ProbablyRejectOnly => RejectOnlyAdvice,
        _ => null,
    };
}
