namespace FlowMesh.Aggregation;

/// <summary>
/// A ring of one-minute buckets keyed by EVENT time (minute = Unix seconds / 60, from a record's
/// start/end), covering the last <see cref="RetainedMinutes"/> minutes plus up to
/// <see cref="FutureToleranceMinutes"/> minutes ahead of "now" for clock skew between AWS and us.
/// </summary>
/// <remarks>
/// <para>Live minutes are (now − retained, now + futureTolerance]; the ring has exactly one slot per
/// live minute, so a slot holding a different minute always holds an expired one, which is recycled in
/// place. "Now" is passed in by the caller (a TimeProvider in the grain) and is expected not to go
/// backwards; if it does, slots outside the live range are still recycled correctly.</para>
/// <para>Recycling: when a reset action is given, an expired bucket is reset and reused, so steady
/// state allocates nothing; without one, a fresh bucket is created by the factory.</para>
/// <para>Not thread-safe: owned by one grain activation.</para>
/// </remarks>
public sealed class RollingMinutes<TBucket> where TBucket : class
{
    private const long Empty = long.MinValue;

    private readonly long[] _minutes;
    private readonly TBucket?[] _buckets;
    private readonly Func<long, TBucket> _create;
    private readonly Action<TBucket>? _reset;

    /// <param name="retainedMinutes">How many minutes up to and including "now" stay live (60 for the hour).</param>
    /// <param name="futureToleranceMinutes">How many minutes after "now" are still accepted.</param>
    /// <param name="create">Makes the bucket for a minute, on first use of a slot.</param>
    /// <param name="reset">Clears an expired bucket for reuse; null to create a new one instead.</param>
    public RollingMinutes(int retainedMinutes, int futureToleranceMinutes, Func<long, TBucket> create, Action<TBucket>? reset = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(retainedMinutes);
        ArgumentOutOfRangeException.ThrowIfNegative(futureToleranceMinutes);
        ArgumentNullException.ThrowIfNull(create);
        RetainedMinutes = retainedMinutes;
        FutureToleranceMinutes = futureToleranceMinutes;
        _create = create;
        _reset = reset;
        var size = retainedMinutes + futureToleranceMinutes;
        _minutes = new long[size];
        Array.Fill(_minutes, Empty);
        _buckets = new TBucket?[size];
    }

    /// <summary>One hour retained, two minutes of future tolerance.</summary>
    public RollingMinutes(Func<long, TBucket> create, Action<TBucket>? reset = null)
        : this(60, 2, create, reset)
    {
    }

    public int RetainedMinutes { get; }

    public int FutureToleranceMinutes { get; }

    /// <summary>Slots holding a minute (live, or expired and not yet recycled or trimmed).</summary>
    public int LiveBuckets
    {
        get
        {
            var n = 0;
            foreach (var minute in _minutes) if (minute != Empty) n++;
            return n;
        }
    }

    /// <summary>Buckets ever created by the factory (capacity reporting; recycled buckets are not recounted).</summary>
    public int CreatedBuckets { get; private set; }

    /// <summary>
    /// Finds the bucket for <paramref name="minute"/> as seen at <paramref name="nowMinute"/>, creating
    /// or recycling it as needed. Late and Future minutes are not applied and return a null bucket.
    /// </summary>
    public BucketResult TryGetBucket(long minute, long nowMinute, out TBucket? bucket)
    {
        bucket = null;
        if (minute <= nowMinute - RetainedMinutes) return BucketResult.Late;
        if (minute > nowMinute + FutureToleranceMinutes) return BucketResult.Future;

        var slot = SlotOf(minute);
        var existing = _buckets[slot];
        if (existing is null)
        {
            existing = Create(minute);
        }
        else if (_minutes[slot] != minute)
        {
            // Same residue, different minute: the slot's minute has left the live range.
            existing = Recycle(existing, minute);
        }
        _buckets[slot] = existing;
        _minutes[slot] = minute;
        bucket = existing;
        return BucketResult.Applied;
    }

    /// <summary>
    /// Live buckets whose minute lies in [now − minutes + 1, now + futureTolerance], oldest first.
    /// Buckets slightly in the future (clock skew, at most the tolerance) therefore count toward EVERY
    /// window, the one-minute window included: the data is real and would otherwise be invisible until
    /// the clock caught up. <paramref name="minutes"/> beyond the retained hour is clamped to it.
    /// </summary>
    public IEnumerable<(long Minute, TBucket Bucket)> InWindow(long nowMinute, int minutes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minutes);
        return Enumerate(nowMinute - Math.Min(minutes, RetainedMinutes) + 1, nowMinute + FutureToleranceMinutes);
    }

    /// <summary>Every live bucket (the whole retained hour plus tolerated future), oldest first.</summary>
    public IEnumerable<(long Minute, TBucket Bucket)> All(long nowMinute) => InWindow(nowMinute, RetainedMinutes);

    /// <summary>
    /// Releases buckets that have expired at <paramref name="nowMinute"/> (reset and kept for reuse, or
    /// dropped for the GC when no reset action was given), so an idle key does not hold an hour of data.
    /// Returns how many were released.
    /// </summary>
    public int Trim(long nowMinute)
    {
        var released = 0;
        for (var slot = 0; slot < _minutes.Length; slot++)
        {
            var minute = _minutes[slot];
            if (minute == Empty || (minute > nowMinute - RetainedMinutes && minute <= nowMinute + FutureToleranceMinutes)) continue;
            _minutes[slot] = Empty;
            if (_reset is null) _buckets[slot] = null;
            else _reset(_buckets[slot]!);
            released++;
        }
        return released;
    }

    private IEnumerable<(long Minute, TBucket Bucket)> Enumerate(long first, long last)
    {
        for (var minute = first; minute <= last; minute++)
        {
            var slot = SlotOf(minute);
            if (_minutes[slot] == minute) yield return (minute, _buckets[slot]!);
        }
    }

    private TBucket Create(long minute)
    {
        CreatedBuckets++;
        return _create(minute);
    }

    private TBucket Recycle(TBucket bucket, long minute)
    {
        if (_reset is null) return Create(minute);
        _reset(bucket);
        return bucket;
    }

    private int SlotOf(long minute)
    {
        var slot = minute % _minutes.Length;
        return (int)(slot < 0 ? slot + _minutes.Length : slot);
    }
}
