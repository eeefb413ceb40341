namespace FlowMesh.Aggregation.Batching;

/// <summary>
/// The event-time rule: which one-minute bucket(s) a record counts in.
/// <list type="bullet">
/// <item>A record whose capture window is shorter than <see cref="SpreadThresholdSeconds"/>
/// (every Nitro record, aggregation interval ≤ 60 s) counts wholly in the minute of its
/// <c>start</c>.</item>
/// <item>A spread-out record (600 s aggregation interval, or a long flow) has its packets and
/// bytes divided evenly over the minutes from <c>start</c> to <c>end</c> (at most
/// <see cref="MaxSpreadMinutes"/>, the remainder going to the earliest minutes so sums stay
/// exact), while the flow itself (and a reject) counts once, in the minute of <c>start</c>.</item>
/// <item>A record without <c>start</c> uses <c>end</c>; without either it uses the arrival time.</item>
/// </list>
/// </summary>
public static class EventTime
{
    public const int SpreadThresholdSeconds = 120;
    public const int MaxSpreadMinutes = 10;

    /// <summary>Number of minutes a record with this capture window is spread over (1 for most).</summary>
    public static int SpreadMinutes(long start, long end)
    {
        if (end - start < SpreadThresholdSeconds) return 1;
        var minutes = EventMinute.FromUnixSeconds(end) - EventMinute.FromUnixSeconds(start) + 1;
        return (int)Math.Clamp(minutes, 1, MaxSpreadMinutes);
    }

    /// <summary>The share of <paramref name="total"/> that lands in the <paramref name="index"/>-th of <paramref name="parts"/> minutes.</summary>
    public static long Share(long total, int parts, int index)
    {
        var baseShare = total / parts;
        return baseShare + (index < total % parts ? 1 : 0);
    }
}
