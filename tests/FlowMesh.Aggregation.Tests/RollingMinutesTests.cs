namespace FlowMesh.Aggregation.Tests;

public sealed class RollingMinutesTests
{
    private const int Retained = 60;
    private const int Future = 2;

    [Fact]
    public void TryGetBucket_RandomMinutes_ClassifiedByTheLiveRangeRule()
    {
        var random = new Random(1);
        var ring = NewRing(out _);
        for (var i = 0; i < 5_000; i++)
        {
            var now = 29_000_000 + random.Next(0, 200);
            var minute = now + random.Next(-100, 10);
            var expected = minute <= now - Retained ? BucketResult.Late
                : minute > now + Future ? BucketResult.Future
                : BucketResult.Applied;

            Assert.Equal(expected, Touch(ring, minute, now));
        }
    }

    [Theory]
    [InlineData(-59, BucketResult.Applied)]
    [InlineData(-60, BucketResult.Late)]
    [InlineData(0, BucketResult.Applied)]
    [InlineData(2, BucketResult.Applied)]
    [InlineData(3, BucketResult.Future)]
    public void TryGetBucket_AtTheEdges_Classified(int offset, BucketResult expected)
    {
        var ring = NewRing(out _);

        Assert.Equal(expected, ring.TryGetBucket(1_000 + offset, 1_000, out _));
    }

    [Fact]
    public void TryGetBucket_SameMinute_ReturnsTheSameBucket()
    {
        var ring = NewRing(out _);
        ring.TryGetBucket(500, 500, out var first);
        first!.Adds++;

        ring.TryGetBucket(500, 501, out var second);

        Assert.Same(first, second);
        Assert.Equal(1, second!.Adds);
    }

    [Fact]
    public void TryGetBucket_RollsOverSeveralHours_RecyclesExpiredSlotsWithoutNewBuckets()
    {
        var ring = NewRing(out var resets);
        var start = 28_999_990L;
        for (var now = start; now < start + 300; now++)
        {
            Assert.Equal(BucketResult.Applied, ring.TryGetBucket(now, now, out var bucket));
            // A recycled bucket starts empty.
            Assert.Equal(0, bucket!.Adds);
            bucket.Adds++;
        }

        Assert.Equal(Retained + Future, ring.CreatedBuckets);
        Assert.Equal(300 - (Retained + Future), resets.Count);
        Assert.Equal(Retained + Future, ring.LiveBuckets);
        var live = ring.All(start + 299).Select(b => b.Minute).ToArray();
        Assert.Equal(Enumerable.Range(0, Retained).Select(i => start + 240 + i), live);
    }

    [Fact]
    public void TryGetBucket_WithoutReset_CreatesFreshBucketForRecycledSlot()
    {
        var created = 0;
        var ring = new RollingMinutes<TestBucket>(Retained, Future, m => { created++; return new TestBucket(m); });
        ring.TryGetBucket(100, 100, out var old);
        old!.Adds = 5;

        ring.TryGetBucket(100 + Retained + Future, 100 + Retained + Future, out var reused);

        Assert.NotSame(old, reused);
        Assert.Equal(0, reused!.Adds);
        Assert.Equal(2, created);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(15)]
    [InlineData(60)]
    public void InWindow_SparseMinutesAfterClockAdvance_YieldsExactlyTheWindowsLiveMinutes(int window)
    {
        var random = new Random(window);
        var ring = NewRing(out _);
        var filled = new SortedSet<long>();
        var now = 10_000L;
        for (var step = 0; step < 400; step++)
        {
            now += random.Next(0, 2);
            var minute = now + random.Next(-70, 5);
            if (Touch(ring, minute, now) == BucketResult.Applied) filled.Add(minute);
        }

        var yielded = ring.InWindow(now, window).ToArray();

        // Brute force: a filled minute is live and in the window, future tolerance included.
        var expected = filled.Where(m => m >= now - window + 1 && m > now - Retained && m <= now + Future);
        Assert.Equal(expected, yielded.Select(b => b.Minute));
        Assert.All(yielded, b => Assert.Equal(b.Minute, b.Bucket.Minute));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(15)]
    [InlineData(60)]
    public void InWindow_EveryLiveMinuteFilled_SpansWindowPlusFuture(int window)
    {
        var ring = NewRing(out _);
        const long now = 50_000;
        for (var m = now - 80; m <= now + 5; m++) ring.TryGetBucket(m, now, out _);

        var minutes = ring.InWindow(now, window).Select(b => b.Minute).ToArray();

        Assert.Equal(now - window + 1, minutes[0]);
        Assert.Equal(now + Future, minutes[^1]);
        Assert.Equal(window + Future, minutes.Length);
    }

    [Fact]
    public void InWindow_ExpiredButNotRecycledBucket_Excluded()
    {
        var ring = NewRing(out _);
        ring.TryGetBucket(100, 100, out _);

        Assert.Single(ring.All(100 + Retained - 1));
        Assert.Empty(ring.All(100 + Retained));
        Assert.Equal(1, ring.LiveBuckets);
    }

    [Fact]
    public void Trim_ExpiredBuckets_ResetAndReleased()
    {
        var ring = NewRing(out var resets);
        for (var m = 0; m < 10; m++) ring.TryGetBucket(m, 9, out _);

        var released = ring.Trim(9 + Retained - 5);

        Assert.Equal(5, released);
        Assert.Equal(5, resets.Count);
        Assert.Equal(5, ring.LiveBuckets);
        Assert.Equal([5L, 6, 7, 8, 9], ring.All(9 + Retained - 5).Select(b => b.Minute));
    }

    [Fact]
    public void TryGetBucket_MinutesBefore1970_UseFlooredSlots()
    {
        var ring = NewRing(out _);
        for (var m = -65; m <= 0; m++)
            Assert.Equal(m <= -Retained ? BucketResult.Late : BucketResult.Applied, Touch(ring, m, 0));

        Assert.Equal(Enumerable.Range(-59, 60).Select(m => (long)m), ring.All(0).Select(b => b.Minute));
        Assert.Equal(-1, EventMinute.FromUnixSeconds(-1));
        Assert.Equal(-1, EventMinute.FromUnixSeconds(-60));
        Assert.Equal(-2, EventMinute.FromUnixSeconds(-61));
        Assert.Equal(28_000_000, EventMinute.FromUnixSeconds((28_000_000 * 60) + 59));
    }

    /// <summary>Applies one record: a bucket that already holds records must be this minute's own.</summary>
    private static BucketResult Touch(RollingMinutes<TestBucket> ring, long minute, long now)
    {
        var result = ring.TryGetBucket(minute, now, out var bucket);
        Assert.Equal(result == BucketResult.Applied, bucket is not null);
        if (bucket is null) return result;
        if (bucket.Adds == 0) bucket.Minute = minute;
        Assert.Equal(minute, bucket.Minute);
        bucket.Adds++;
        return result;
    }

    private static RollingMinutes<TestBucket> NewRing(out List<TestBucket> resets)
    {
        var log = new List<TestBucket>();
        resets = log;
        return new RollingMinutes<TestBucket>(Retained, Future, m => new TestBucket(m), b => { log.Add(b); b.Adds = 0; b.Minute = long.MinValue; });
    }

    private sealed class TestBucket(long minute)
    {
        public long Minute { get; set; } = minute;
        public int Adds { get; set; }
    }
}
