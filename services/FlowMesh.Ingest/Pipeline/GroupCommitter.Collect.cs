using System.Threading.Channels;

namespace FlowMesh.Ingest.Pipeline;

internal sealed partial class GroupCommitter
{
    // How often a waiting collector re-checks whether every delivery being decoded has joined.
    private static readonly TimeSpan JoinPoll = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Gathers one flush: it closes <see cref="GroupCommitOptions.FlushInterval"/> after its first
    /// delivery was queued (deliveries queued while the previous flush was applied therefore wait no
    /// longer than the interval in total), when it holds <see cref="GroupCommitOptions.MaxRowsPerFlush"/>
    /// rows, or — with <see cref="GroupCommitOptions.FlushWhenAllJoined"/> — as soon as no other
    /// delivery is still on its way (announced by the endpoint, or being decoded); with
    /// <see cref="GroupCommitOptions.FlushWhenHalfJoined"/> also as soon as at least as many have joined as
    /// are still on their way. A delivery that misses a flush simply goes into the next.
    /// </summary>
    private async Task CollectFlushAsync(ChannelReader<Submission> reader, List<Submission> submissions, CancellationToken stoppingToken)
    {
        DateTimeOffset? deadline = null;
        var rows = 0;
        while (rows < _options.MaxRowsPerFlush)
        {
            if (reader.TryRead(out var submission))
            {
                deadline ??= submission.QueuedAt + _options.FlushInterval;
                submissions.Add(submission);
                statistics.SetGathering(submissions.Count);
                rows += submission.Batch.Combiner.RowCount;
                continue;
            }
            if (submissions.Count > 0 && _options.FlushWhenAllJoined)
            {
                var joining = Volatile.Read(ref _joining);
                if (joining == 0 || (_options.FlushWhenHalfJoined && submissions.Count >= joining)) break;
            }
            var remaining = (deadline ?? time.GetUtcNow() + _options.FlushInterval) - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero) break;
            if (_options.FlushWhenAllJoined && remaining > JoinPoll) remaining = JoinPoll;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(remaining);
            try
            {
                if (!await reader.WaitToReadAsync(wait.Token)) break;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // Timed out: loop to re-check the deadline and who is still decoding.
            }
        }
    }
}
