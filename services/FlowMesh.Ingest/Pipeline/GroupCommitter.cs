using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using FlowMesh.Aggregation.Batching;
using FlowMesh.Alerts.Rules;
using FlowMesh.Grains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlowMesh.Ingest.Pipeline;

/// <summary>
/// The group commit: deliveries that arrive within a flush interval are merged into one flush,
/// the flush is split per grain key, every grain gets one idempotent call (flush id), and each
/// request is answered when its flush is applied to every view. See <see cref="PendingFlush"/>
/// for how a partly applied flush is completed without double counting.
/// </summary>
internal sealed partial class GroupCommitter(
    IGrainFactory grains,
    IOptions<GroupCommitOptions> options,
    AlertRuleSet alertRules,
    GroupCommitStatistics statistics,
    TimeProvider time,
    ILogger<GroupCommitter> logger) : BackgroundService, IDeliveryPipeline
{
    private readonly GroupCommitOptions _options = options.Value;
    private readonly Channel<Submission> _queue = Channel.CreateUnbounded<Submission>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, Task<DeliveryOutcome>> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingFlush> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<FlowBatchCombiner> _combiners = [];
    private readonly FlowBatchCombiner _flushCombiner = new();
    private readonly FlushNumbering _numbering = statistics.Tracking(new FlushNumbering());
    private AlertEvaluator? _alertEvaluator; // flushes are built one at a time (ExecuteAsync), so one serves them all
    private GrainReferences? _references; // resolved at the first call: a client learns grain types from the cluster
    private PartitionBuffers? _partitionBuffers;
    private int _queued;
    private int _joining; // announced deliveries, and batches created and not yet queued, answered or disposed: they may still join a flush

    public async ValueTask<bool> WasAppliedAsync(string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        if (_pending.TryGetValue(requestId, out var pending) && pending.IsApplied) return true;
        return await grains.GetGrain<IDeliveryLedgerGrain>(GrainKeys.DeliveryLedger(requestId)).IsAppliedAsync(requestId);
    }

    public IDisposable AnnounceDelivery()
    {
        Interlocked.Increment(ref _joining);
        return new Announcement(this);
    }

    /// <summary>One announced delivery in <see cref="_joining"/> until disposed (once).</summary>
    private sealed class Announcement(GroupCommitter owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref owner._joining);
        }
    }

    public IDeliveryBatch CreateBatch(string requestId, string? sourceArn)
    {
        if (!_combiners.TryTake(out var combiner)) combiner = new FlowBatchCombiner();
        combiner.Reset(time.GetUtcNow().ToUnixTimeSeconds());
        Interlocked.Increment(ref _joining);
        return new DeliveryBatch(requestId, sourceArn, combiner, Release, () => Interlocked.Decrement(ref _joining));
    }

    public async ValueTask<DeliveryOutcome> CommitAsync(IDeliveryBatch batch, CancellationToken cancellationToken)
    {
        if (batch is not DeliveryBatch delivery)
            throw new ArgumentException("The batch was not created by this pipeline.", nameof(batch));
        try
        {
            var id = delivery.RequestId;

            // A retry of a request whose flush was only partly applied: finish that flush instead.
            if (_pending.TryGetValue(id, out var pendingFlush))
            {
                delivery.Settle(); // completing a pending flush never joins a new one
                return await CompletePendingAsync(pendingFlush) ? DeliveryOutcome.Duplicate
                    : throw new DeliveryUnavailableException($"The earlier delivery of request {id} is still being applied; retry later.");
            }

            TaskCompletionSource<DeliveryOutcome> completion;
            while (true)
            {
                completion = new TaskCompletionSource<DeliveryOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_inFlight.TryAdd(id, completion.Task))
                {
                    // In flight until the flush holding it completes — not until this caller stops
                    // waiting — so a retry arriving meanwhile joins it instead of applying it again.
                    _ = completion.Task.ContinueWith(
                        t => _inFlight.TryRemove(KeyValuePair.Create(id, t)),
                        CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    break;
                }
                if (_inFlight.TryGetValue(id, out var existing))
                {
                    // A concurrent Firehose retry: answered as that delivery is; if it fails, this fails too.
                    delivery.Settle();
                    await existing.WaitAsync(cancellationToken);
                    return DeliveryOutcome.Duplicate;
                }
            }

            bool applied;
            try
            {
                // The ledger is the cluster-wide truth: a request applied by any ingest process is not
                // applied again, even when the caller skipped WasAppliedAsync.
                applied = await WasAppliedAsync(id, cancellationToken);
            }
            catch (Exception ex)
            {
                completion.TrySetException(new DeliveryUnavailableException("The delivery ledger is unavailable; retry.", ex));
                throw new DeliveryUnavailableException("The delivery ledger is unavailable; retry.", ex);
            }
            if (applied)
            {
                completion.TrySetResult(DeliveryOutcome.Duplicate);
                return DeliveryOutcome.Duplicate;
            }
            if (Interlocked.Increment(ref _queued) > _options.MaxQueuedRequests)
            {
                Interlocked.Decrement(ref _queued);
                PipelineLog.Overloaded(logger, _options.MaxQueuedRequests, id);
                var overloaded = new DeliveryUnavailableException($"Overloaded: {_options.MaxQueuedRequests} deliveries are waiting to be applied; retry later.");
                completion.TrySetException(overloaded);
                throw overloaded;
            }
            // The queued flush holds its own reference to the batch, so a caller that stops waiting
            // (CommitTimeout, disconnect) may dispose it: the flush still applies the delivery, and
            // Firehose's retry finds it in flight or in the ledger and is answered without re-applying.
            delivery.AddFlushReference();
            _queue.Writer.TryWrite(new Submission(delivery, completion, time.GetUtcNow()));
            // Queued first, settled second: a collector that sees nobody joining has this one to read.
            delivery.Settle();
            return await completion.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            // Whatever the outcome, this delivery no longer keeps a flush waiting for it.
            delivery.Settle();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var submissions = new List<Submission>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                submissions.Clear();
                await CollectFlushAsync(reader, submissions, stoppingToken);
                statistics.SetGathering(0);
                Interlocked.Add(ref _queued, -submissions.Count);
                await ApplyFlushAsync(submissions);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: fail whatever still waits so Firehose retries it elsewhere.
            while (reader.TryRead(out var s))
            {
                s.Batch.ReleaseFlushReference();
                s.Completion.TrySetException(new DeliveryUnavailableException("The ingest service is shutting down; retry."));
            }
        }
    }

    private async Task ApplyFlushAsync(List<Submission> submissions)
    {
        var flushId = Guid.NewGuid();
        var sequence = _numbering.Open();
        var settles = true; // unless it is left pending: then its retry settles it
        var started = Stopwatch.GetTimestamp();
        try
        {
            // One flush at a time (ExecuteAsync awaits each), so one combiner serves them all: its
            // table keeps its grown size (bounded by MaxRowsPerFlush) instead of being rebuilt, and
            // re-allocated on the large-object heap, for every flush.
            var combiner = _flushCombiner;
            combiner.Reset(0);
            foreach (var s in submissions)
            {
                combiner.MergeFrom(s.Batch.Combiner);
                s.Batch.ReleaseFlushReference();
            }
            var (records, rows) = (combiner.Records, combiner.RowCount);
            // The deltas are slices of these buffers (in-process grains read them without a copy), so
            // they are reused only after every call returned: a failed or timed-out call may still run,
            // or be retried from the pending flush, so its buffers are left to the collector.
            var buffers = _partitionBuffers ?? new PartitionBuffers();
            _partitionBuffers = null;
            var calls = BuildCalls(flushId, sequence, combiner.Partition(buffers));
            combiner.Reset(0); // the partition holds copies of the rows
            var failed = await ExecuteCallsAsync(calls);
            if (failed.Count == 0 && buffers.WorthKeeping) _partitionBuffers = buffers;
            var requestIds = submissions.Select(s => s.Batch.RequestId).ToArray();
            var pending = new PendingFlush(flushId, sequence.Number, requestIds, failed, time.GetUtcNow());
            if (failed.Count == 0 && await pending.TryCompleteAsync(ExecuteCallsAsync, MarkAppliedAsync))
            {
                var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                statistics.RecordFlush(submissions.Count, records, rows, elapsedMs);
                PipelineLog.FlushApplied(logger, flushId, submissions.Count, records, rows, calls.Count, elapsedMs);
                foreach (var s in submissions) s.Completion.TrySetResult(DeliveryOutcome.Applied);
                return;
            }
            PipelineLog.FlushPartlyFailed(logger, flushId, pending.RemainingCalls, calls.Count, submissions.Count, null);
            foreach (var id in requestIds) _pending[id] = pending;
            settles = false;
            _ = RetryInBackgroundAsync(pending);
            var error = new DeliveryUnavailableException($"{pending.RemainingCalls} of {calls.Count} grain updates failed; the delivery will be completed on retry.");
            foreach (var s in submissions) s.Completion.TrySetException(error);
        }
        catch (Exception ex)
        {
            PipelineLog.FlushCrashed(logger, flushId, ex);
            var error = new DeliveryUnavailableException("The delivery could not be applied; retry.", ex);
            foreach (var s in submissions) s.Completion.TrySetException(error);
        }
        finally
        {
            if (settles) _numbering.Settle(sequence.Number);
        }
    }

    private List<GrainCall> BuildCalls(Guid flushId, FlushSequence sequence, BatchPartition partition)
    {
        var calls = new List<GrainCall>(partition.GrainCalls);
        // Alert rules see every row of the flush ("all" holds them): one call per rule that matched.
        if (alertRules.Rules.Count > 0 && partition.Scopes.TryGetValue(LeaderboardScope.All, out var all))
        {
            foreach (var matches in (_alertEvaluator ??= new AlertEvaluator(alertRules)).Evaluate(all.Span))
                calls.Add(new GrainCall(GrainKind.AlertRule, GrainKeys.AlertRule(matches.Rule.Name), null, AlertDeltaOf(flushId, sequence, matches)));
        }
        foreach (var (eni, rows) in partition.Interfaces)
            calls.Add(new GrainCall(GrainKind.Interface, GrainKeys.Interface(eni), new FlowDelta(flushId, rows, partition.Metadata.GetValueOrDefault(eni), sequence)));
        foreach (var (address, rows) in partition.Addresses)
            calls.Add(new GrainCall(GrainKind.Address, GrainKeys.Address(address), new FlowDelta(flushId, rows, Sequence: sequence)));
        foreach (var (scope, rows) in partition.Scopes)
            calls.Add(new GrainCall(GrainKind.Leaderboard, GrainKeys.Leaderboard(scope), new FlowDelta(flushId, rows, Sequence: sequence)));
        return calls;
    }

    private static AlertDelta AlertDeltaOf(Guid flushId, FlushSequence sequence, RuleMatches matches)
    {
        var groups = new AlertGroupPartial[matches.Groups.Count];
        var i = 0;
        foreach (var (key, aggregate) in matches.Groups)
        {
            groups[i++] = new AlertGroupPartial(
                key.ToText(matches.Rule.GroupBy), aggregate.Flows, aggregate.Packets, aggregate.Bytes, aggregate.RejectedFlows,
                aggregate.Addresses is { } addresses ? [.. addresses] : [], aggregate.Ports is { } ports ? [.. ports] : []);
        }
        return new AlertDelta(flushId, groups, sequence);
    }

    /// <summary>Sends the calls with bounded concurrency; returns the ones that failed.</summary>
    private async Task<IReadOnlyList<GrainCall>> ExecuteCallsAsync(IReadOnlyList<GrainCall> calls)
    {
        var failed = new ConcurrentBag<GrainCall>();
        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentGrainCalls }, async (call, _) =>
        {
            try
            {
                await call.InvokeAsync(_references ??= new GrainReferences(grains));
            }
            catch (Exception)
            {
                // Counted and retried via the pending flush; the first error is logged there.
                failed.Add(call);
            }
        });
        statistics.RecordGrainCalls(calls.Count, failed.Count);
        return [.. failed];
    }

    private Task MarkAppliedAsync(IReadOnlyList<string> requestIds) =>
        Task.WhenAll(requestIds
            .GroupBy(GrainKeys.DeliveryLedger)
            .Select(g => grains.GetGrain<IDeliveryLedgerGrain>(g.Key).MarkAppliedAsync(g.ToArray())));

    private async Task<bool> CompletePendingAsync(PendingFlush pending)
    {
        if (!await pending.TryCompleteAsync(ExecuteCallsAsync, MarkAppliedAsync)) return false;
        _numbering.Settle(pending.Number);
        PipelineLog.PendingFlushCompleted(logger, pending.FlushId, pending.RequestIds.Count);
        return true;
    }

    private async Task RetryInBackgroundAsync(PendingFlush pending)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (time.GetUtcNow() - pending.CreatedAt < _options.PendingFlushRetention)
        {
            await Task.Delay(delay, time);
            try
            {
                if (await CompletePendingAsync(pending)) break;
            }
            catch (Exception ex)
            {
                PipelineLog.FlushCrashed(logger, pending.FlushId, ex);
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
        if (!pending.IsApplied) PipelineLog.PendingFlushAbandoned(logger, pending.FlushId, time.GetUtcNow() - pending.CreatedAt, pending.RemainingCalls);
        // Applied, or given up: either way it is never sent again, and grains may forget it.
        _numbering.Settle(pending.Number);
        // A completed flush's request ids are in the ledger now; an abandoned one's are forgotten.
        foreach (var id in pending.RequestIds) _pending.TryRemove(KeyValuePair.Create(id, pending));
    }

    private void Release(FlowBatchCombiner combiner)
    {
        if (_combiners.Count < 64) _combiners.Add(combiner);
    }

    private sealed record Submission(DeliveryBatch Batch, TaskCompletionSource<DeliveryOutcome> Completion, DateTimeOffset QueuedAt);
}
