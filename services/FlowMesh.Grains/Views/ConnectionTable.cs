using System.Runtime.InteropServices;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;

namespace FlowMesh.Grains.Views;

/// <summary>
/// The evidence connection diagnosis reads: an address's rows combined across minutes per
/// (interface, source, destination, kept source port, destination port, protocol, action,
/// direction, reject reason), for the retained hour. A reply (service port → ephemeral port) is one
/// entry with the range of ephemeral destination ports it went to, so a client's many connections to
/// one service take two entries (request, reply) per interface, not one per connection. Bounded: when it holds more than its capacity
/// it drops expired entries and then the least recently active ones down to half the capacity, so
/// upkeep costs O(log n) per new entry. A capacity of 0 keeps nothing.
/// </summary>
internal sealed class ConnectionTable(int capacity)
{
    private const int RetainedMinutes = RollingView.RetainedMinutes;
    private readonly Dictionary<Key, Counters> _entries = new();
    private long[]? _ranks;

    /// <summary>True once entries still inside the hour were dropped to respect the capacity.</summary>
    public bool Evicted { get; private set; }

    public int Count => _entries.Count;

    public void Add(in FlowRow row, long nowMinute)
    {
        if (capacity == 0 || row.IsNoTraffic) return;
        var k = row.Key;
        if (k.Minute <= nowMinute - RetainedMinutes) return;
        var reply = k.SourcePort >= 0 && k.SourcePort < k.DestinationPort;
        var key = new Key(k.InterfaceId, k.Source, k.Destination, k.SourcePort, reply ? -1 : k.DestinationPort, k.Protocol, k.Action, k.Direction, k.RejectReason);
        ref var c = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, key, out var exists);
        if (!exists)
        {
            c.FirstMinute = k.Minute;
            c.LastMinute = k.Minute;
            c.LowestDestinationPort = k.DestinationPort;
            c.HighestDestinationPort = k.DestinationPort;
        }
        c.LowestDestinationPort = Math.Min(c.LowestDestinationPort, k.DestinationPort);
        c.HighestDestinationPort = Math.Max(c.HighestDestinationPort, k.DestinationPort);
        c.Flows += row.Flows;
        c.Packets += row.Packets;
        c.Bytes += row.Bytes;
        c.TcpFlags |= row.TcpFlags;
        c.FirstMinute = Math.Min(c.FirstMinute, k.Minute);
        c.LastMinute = Math.Max(c.LastMinute, k.Minute);
        if (!exists && _entries.Count > capacity) Shrink(nowMinute);
    }

    /// <summary>Entries between <paramref name="self"/> and <paramref name="peer"/> (either direction) active in the retained hour.</summary>
    public IReadOnlyList<ConnectionRecord> Between(FlowAddress self, FlowAddress peer, long nowMinute)
    {
        var result = new List<ConnectionRecord>();
        foreach (var (key, c) in _entries)
        {
            if (c.LastMinute <= nowMinute - RetainedMinutes) continue;
            var matches = (key.Source == self && key.Destination == peer) || (key.Source == peer && key.Destination == self);
            if (!matches) continue;
            result.Add(new ConnectionRecord(
                key.InterfaceId, key.Source, key.Destination, key.SourcePort, c.LowestDestinationPort, key.Protocol, key.Action, key.Direction,
                key.RejectReason, c.TcpFlags, c.Flows, c.Packets, c.Bytes, c.FirstMinute, c.LastMinute, c.HighestDestinationPort));
        }
        result.Sort(static (a, b) => a.FirstMinute != b.FirstMinute ? a.FirstMinute.CompareTo(b.FirstMinute) : b.Flows.CompareTo(a.Flows));
        return result;
    }

    private void Shrink(long nowMinute)
    {
        var expired = nowMinute - RetainedMinutes;
        foreach (var (key, c) in _entries)
        {
            if (c.LastMinute <= expired) _entries.Remove(key);
        }
        if (_entries.Count <= capacity) return;
        // Keep the most recently active half; among equally recent entries, the busier ones. Ranks are
        // (last minute, flows) packed into one long and sorted in a buffer the table keeps: no allocation.
        var ranks = _ranks ??= new long[capacity + 1];
        var n = 0;
        foreach (var (_, c) in _entries) ranks[n++] = Rank(in c);
        Array.Sort(ranks, 0, n);
        var keep = Math.Max(1, capacity / 2);
        var cutoff = ranks[n - keep];
        var remove = n - keep;
        // Below the cutoff first, then as many ties as needed: equal ranks must not stop the shrink.
        foreach (var (key, c) in _entries)
        {
            if (remove > 0 && Rank(in c) < cutoff && _entries.Remove(key)) remove--;
        }
        foreach (var (key, c) in _entries)
        {
            if (remove > 0 && Rank(in c) == cutoff && _entries.Remove(key)) remove--;
        }
        Evicted = true;
    }

    /// <summary>Minutes since the retained hour began (fits easily) above, flows (capped at 2^24) below.</summary>
    private static long Rank(in Counters c) => (c.LastMinute << 24) | Math.Min(c.Flows, (1L << 24) - 1);

    private readonly record struct Key(
        string? InterfaceId, FlowAddress Source, FlowAddress Destination, int SourcePort, int DestinationPort,
        int Protocol, FlowAction Action, FlowDirection Direction, string? RejectReason);

    private struct Counters
    {
        public long Flows;
        public long Packets;
        public long Bytes;
        public int TcpFlags;
        public long FirstMinute;
        public long LastMinute;
        public int LowestDestinationPort;
        public int HighestDestinationPort;
    }
}
