namespace FlowMesh.Aggregation;

/// <summary>Minute numbers of event time as <see cref="RollingMinutes{TBucket}"/> uses them: Unix seconds / 60.</summary>
public static class EventMinute
{
    /// <summary>The minute containing a Unix time in seconds (floored, so also right before 1970).</summary>
    public static long FromUnixSeconds(long unixSeconds) => Math.DivRem(unixSeconds, 60) switch
    {
        (var minute, < 0) => minute - 1,
        (var minute, _) => minute,
    };

    /// <summary>The minute containing <paramref name="time"/>.</summary>
    public static long FromTime(DateTimeOffset time) => FromUnixSeconds(time.ToUnixTimeSeconds());
}
