using System.Collections.Concurrent;
using FlowMesh.FlowLogs;
using FlowMesh.Ingest.Pipeline;

namespace FlowMesh.Ingest.Tests;

/// <summary>An in-test pipeline: remembers every batch and commit, and can be told how to answer.</summary>
public sealed class RecordingPipeline : IDeliveryPipeline
{
    private readonly ConcurrentQueue<RecordingBatch> _batches = new();
    private readonly ConcurrentQueue<RecordingBatch> _committed = new();

    /// <summary>Request ids WasAppliedAsync reports as already applied.</summary>
    public ConcurrentDictionary<string, bool> Applied { get; } = new(StringComparer.Ordinal);

    /// <summary>What CommitAsync does instead of applying (throw, wait for cancellation...).</summary>
    public Func<RecordingBatch, CancellationToken, ValueTask<DeliveryOutcome>>? OnCommit { get; set; }

    public IReadOnlyList<RecordingBatch> Batches => [.. _batches];

    /// <summary>Deliveries announced and not yet withdrawn (AnnounceDelivery); each batch records the count when committed.</summary>
    public int Announced => Volatile.Read(ref _announced);

    /// <summary>Every AnnounceDelivery call so far.</summary>
    public int Announcements => Volatile.Read(ref _announcements);

    private int _announced;
    private int _announcements;

    public IDisposable AnnounceDelivery()
    {
        Interlocked.Increment(ref _announcements);
        Interlocked.Increment(ref _announced);
        return new Withdrawal(this);
    }

    private sealed class Withdrawal(RecordingPipeline owner) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref owner._announced);
        }
    }

    public IReadOnlyList<RecordingBatch> Committed => [.. _committed];

    public ValueTask<bool> WasAppliedAsync(string requestId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Applied.ContainsKey(requestId));

    public IDeliveryBatch CreateBatch(string requestId, string? sourceArn)
    {
        var batch = new RecordingBatch(requestId, sourceArn);
        _batches.Enqueue(batch);
        return batch;
    }

    public async ValueTask<DeliveryOutcome> CommitAsync(IDeliveryBatch batch, CancellationToken cancellationToken)
    {
        var recording = (RecordingBatch)batch;
        recording.AnnouncedAtCommit = Announced;
        if (OnCommit is { } onCommit)
            return await onCommit(recording, cancellationToken);
        _committed.Enqueue(recording);
        Applied[batch.RequestId] = true;
        return DeliveryOutcome.Applied;
    }
}

/// <summary>A batch that keeps a copy of everything decoded into it.</summary>
public sealed class RecordingBatch(string requestId, string? sourceArn) : IDeliveryBatch
{
    private readonly List<FlowRecord> _records = [];
    private readonly List<MalformedLine> _malformed = [];

    public string RequestId { get; } = requestId;
    public string? SourceArn { get; } = sourceArn;
    public IReadOnlyList<FlowRecord> RecordList => _records;
    public IReadOnlyList<MalformedLine> MalformedLines => _malformed;
    public int Records => _records.Count;
    public int Malformed => _malformed.Count;
    public int ControlMessages { get; private set; }
    public bool Disposed { get; private set; }

    /// <summary>RecordingPipeline.Announced when this batch was committed.</summary>
    public int AnnouncedAtCommit { get; set; } = -1;

    public void OnRecord(in FlowRecord record) => _records.Add(record);
    public void OnMalformed(in MalformedLine malformed) => _malformed.Add(malformed);
    public void OnControlMessage() => ControlMessages++;
    public void Dispose() => Disposed = true;
}
