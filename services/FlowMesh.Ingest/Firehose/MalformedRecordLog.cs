using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using FlowMesh.FlowLogs;
using Microsoft.Extensions.Options;

namespace FlowMesh.Ingest.Firehose;

/// <summary>
/// Malformed records of applied deliveries: exact counts per source and reason, and a ring
/// buffer of the most recent examples. Thread-safe; one instance per process (the query API reads it).
/// </summary>
public sealed class MalformedRecordLog
{
    /// <summary>Source name used when a delivery carries no <c>X-Amz-Firehose-Source-Arn</c>.</summary>
    public const string UnknownSource = "-";

    private readonly ConcurrentDictionary<(string Source, MalformedReason Reason), StrongBox<long>> _counts = new();
    private readonly MalformedRecordExample?[] _recent;
    private readonly Lock _recentLock = new();
    private long _written;

    public MalformedRecordLog(IOptions<IngestOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _recent = new MalformedRecordExample?[options.Value.MalformedExamplesKept];
    }

    /// <summary>Number of examples kept at most.</summary>
    public int Capacity => _recent.Length;

    /// <summary>Counts one malformed record and keeps it as the most recent example.</summary>
    public void Add(MalformedRecordExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var counter = _counts.GetOrAdd((example.SourceArn, example.Line.Reason), static _ => new StrongBox<long>());
        Interlocked.Increment(ref counter.Value);
        if (_recent.Length == 0) return;
        lock (_recentLock)
        {
            _recent[_written % _recent.Length] = example;
            _written++;
        }
    }

    /// <summary>Total malformed records counted since start.</summary>
    public long Total => _counts.Values.Sum(counter => Interlocked.Read(ref counter.Value));

    /// <summary>Malformed records counted for one source and reason.</summary>
    public long Count(string sourceArn, MalformedReason reason) =>
        _counts.TryGetValue((sourceArn, reason), out var counter) ? Interlocked.Read(ref counter.Value) : 0;

    /// <summary>Every (source, reason) counted so far with its count, ordered by source then reason.</summary>
    public IReadOnlyList<(string SourceArn, MalformedReason Reason, long Count)> Counts() =>
        [.. _counts
            .Select(entry => (entry.Key.Source, entry.Key.Reason, Interlocked.Read(ref entry.Value.Value)))
            .OrderBy(entry => entry.Source, StringComparer.Ordinal)
            .ThenBy(entry => entry.Reason)];

    /// <summary>The most recent examples, oldest first (at most <see cref="Capacity"/>).</summary>
    public IReadOnlyList<MalformedRecordExample> Recent()
    {
        lock (_recentLock)
        {
            var kept = (int)Math.Min(_written, _recent.Length);
            var result = new MalformedRecordExample[kept];
            for (var i = 0; i < kept; i++)
                result[i] = _recent[(_written - kept + i) % _recent.Length]!;
            return result;
        }
    }
}
