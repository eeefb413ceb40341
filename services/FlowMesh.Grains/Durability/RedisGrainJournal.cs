using System.Globalization;
using Orleans.Serialization;
using StackExchange.Redis;

namespace FlowMesh.Grains.Durability;

/// <summary>
/// One Redis stream per grain (<c>flowmesh:{serviceId}:journal:{grainId}</c>), one stream entry
/// per acknowledged change, serialized with the Orleans serializer. Appending trims entries older
/// than the retention in the same command (XADD … MINID), so a stream holds at most the retention's
/// worth of the grain's flushes; the key expires after the retention when the grain goes quiet.
/// Redis' own persistence (AOF/RDB, replicas) decides whether the journal survives Redis itself.
/// </summary>
public sealed class RedisGrainJournal(IConnectionMultiplexer redis, Serializer serializer, string serviceId, TimeProvider? time = null) : IGrainJournal
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Entries per XRANGE round trip when a grain replays.</summary>
    public const int ReadPage = 512;
    private static readonly RedisValue Field = "e";

    public bool IsDurable => true;

    public async ValueTask AppendAsync<T>(GrainId grain, T entry, TimeSpan retention)
    {
        var key = Key(grain);
        var payload = serializer.SerializeToArray(entry);
        var minId = (_time.GetUtcNow() - retention).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var db = redis.GetDatabase();
        // XADD key MINID <oldest kept ms> * e <payload>: append and trim (exactly: a replay never sees an entry past the retention) in one round trip.
        var appended = db.ExecuteAsync("XADD", key, "MINID", minId, "*", Field, payload);
        // A quiet grain's stream is not trimmed by appends any more: let it expire instead.
        _ = db.KeyExpireAsync(key, retention, flags: CommandFlags.FireAndForget);
        await appended.ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<T>> ReadAsync<T>(GrainId grain, CancellationToken cancellationToken)
    {
        var key = Key(grain);
        var db = redis.GetDatabase();
        var entries = new List<T>();
        RedisValue from = "-";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await db.StreamRangeAsync(key, from, "+", ReadPage).ConfigureAwait(false);
            foreach (var item in page)
            {
                var payload = item[Field];
                if (payload.IsNull) throw new InvalidOperationException($"Journal entry {item.Id} of {grain} has no payload field.");
                entries.Add(serializer.Deserialize<T>((byte[])payload!)!);
            }
            if (page.Length < ReadPage) return entries;
            from = "(" + page[^1].Id; // exclusive start (Redis ≥ 6.2)
        }
    }

    private RedisKey Key(GrainId grain) => $"flowmesh:{serviceId}:journal:{grain}";
}
