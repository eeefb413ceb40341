using FlowMesh.Grains.Views;

namespace FlowMesh.Grains.Tests;

/// <summary>What a grain remembers of the flushes it applied, and when it may forget them.</summary>
public sealed class AppliedFlushesTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(30);
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryAdd_SettledBelow_ForgetsThatSourcesEarlierFlushesOnly()
    {
        var flushes = new AppliedFlushes(Retention);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var ids = Enumerable.Range(0, 7).Select(_ => Guid.NewGuid()).ToArray();
        for (var n = 1; n <= 5; n++) Assert.True(flushes.TryAdd(ids[n], new FlushSequence(a, n, 1), Start));
        var other = Guid.NewGuid();
        Assert.True(flushes.TryAdd(other, new FlushSequence(b, 1, 1), Start));

        // Source a says everything below 4 is settled.
        Assert.True(flushes.TryAdd(ids[6], new FlushSequence(a, 6, 4), Start));

        Assert.Equal([false, false, false, true, true, true], ids[1..].Select(id => flushes.Contains(id, Start)));
        Assert.True(flushes.Contains(other, Start)); // another source's flush 1 is not settled by a's number
        Assert.Equal(4, flushes.Count);
        Assert.False(flushes.TryAdd(ids[4], new FlushSequence(a, 4, 4), Start)); // a retry of 4 is still a duplicate
    }

    [Fact]
    public void SteadyFlushes_RememberTheLastOne_UnsequencedOnesTheWholeRetention()
    {
        var sequenced = new AppliedFlushes(Retention);
        var unsequenced = new AppliedFlushes(Retention);
        var source = Guid.NewGuid();
        var last = Guid.Empty;
        // 30 minutes at 5 flushes/s, each settled before the next is opened.
        for (var n = 1; n <= 9_000; n++)
        {
            var at = Start + TimeSpan.FromMilliseconds(200 * n);
            last = Guid.NewGuid();
            Assert.True(sequenced.TryAdd(last, new FlushSequence(source, n, n), at));
            Assert.True(unsequenced.TryAdd(Guid.NewGuid(), default, at));
        }

        Assert.Equal(1, sequenced.Count);
        Assert.False(sequenced.TryAdd(last, new FlushSequence(source, 9_000, 9_000), Start + TimeSpan.FromMinutes(30)));
        Assert.Equal(9_000, unsequenced.Count);
    }

    [Fact]
    public void AFlushBeingRetried_KeepsEverythingFromItOn_UntilItSettles()
    {
        var flushes = new AppliedFlushes(Retention);
        var source = Guid.NewGuid();
        var ids = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToArray();
        // Flush 5 was applied here, but its answer was lost elsewhere: the source keeps SettledBelow at 5.
        for (var n = 5; n <= 10; n++) Assert.True(flushes.TryAdd(ids[n], new FlushSequence(source, n, 5), Start));

        Assert.Equal(6, flushes.Count);
        Assert.True(flushes.Contains(ids[5], Start)); // its retry is recognised

        // Flush 5 settled; the next delta says so.
        Assert.True(flushes.TryAdd(ids[11], new FlushSequence(source, 11, 11), Start));
        Assert.Equal(1, flushes.Count);
        Assert.True(flushes.Contains(ids[11], Start));
    }

    [Fact]
    public void Retention_ForgetsEveryKindOfId_AndAQuietSource()
    {
        var flushes = new AppliedFlushes(Retention);
        var (sequenced, unsequenced) = (Guid.NewGuid(), Guid.NewGuid());
        Assert.True(flushes.TryAdd(sequenced, new FlushSequence(Guid.NewGuid(), 1, 1), Start));
        Assert.True(flushes.TryAdd(unsequenced, default, Start + TimeSpan.FromMinutes(1)));

        var justBefore = Start + Retention - TimeSpan.FromTicks(1);
        Assert.True(flushes.Contains(sequenced, justBefore));
        Assert.False(flushes.Contains(sequenced, Start + Retention));
        Assert.True(flushes.Contains(unsequenced, Start + Retention));
        Assert.False(flushes.Contains(unsequenced, Start + Retention + TimeSpan.FromMinutes(1)));
        Assert.Equal(0, flushes.Count);
        // Forgotten means a retry that late is applied again: the ingest role gives up on a flush long before.
        Assert.True(flushes.TryAdd(sequenced, new FlushSequence(Guid.NewGuid(), 1, 1), Start + Retention));
    }

    [Fact]
    public void ManySources_EachSettlesItsOwn_MatchesABruteForceModel()
    {
        var rng = new Random(7);
        var flushes = new AppliedFlushes(Retention);
        var sources = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        var next = new long[sources.Length];
        var settled = new long[sources.Length];
        var model = new List<(Guid Id, int Source, long Number, DateTimeOffset At)>();
        var at = Start;
        for (var step = 0; step < 3_000; step++)
        {
            at += TimeSpan.FromSeconds(rng.Next(0, 3));
            var s = rng.Next(sources.Length);
            var number = ++next[s];
            // Sources settle in order but lag behind by up to a few flushes.
            settled[s] = Math.Max(settled[s], Math.Max(1, number - rng.Next(0, 4)));
            var id = Guid.NewGuid();
            Assert.True(flushes.TryAdd(id, new FlushSequence(sources[s], number, settled[s]), at));
            model.RemoveAll(m => m.At + Retention <= at || (m.Source == s && m.Number < settled[s]));
            model.Add((id, s, number, at));
            Assert.Equal(model.Count, flushes.Count);
        }
        Assert.All(model, m => Assert.True(flushes.Contains(m.Id, at)));
    }
}
