using System.Threading.Channels;
using FlowMesh.Grains;

namespace FlowMesh.Query;

/// <summary>
/// One subscriber's view of a shared poller: a "latest value" slot (a bounded channel of one that
/// drops the older snapshot), so a slow reader skips intermediate snapshots and never holds up
/// the poller or the other subscribers. Dispose to leave; the last one out stops the poller.
/// </summary>
internal sealed class StreamSubscription : IAsyncDisposable
{
    private readonly Channel<TopContributorsSnapshot> _latest = Channel.CreateBounded<TopContributorsSnapshot>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false });
    private readonly TopContributorsStreamHub _hub;
    private int _disposed;

    internal StreamSubscription(TopContributorsStreamHub hub, StreamPoller poller)
    {
        _hub = hub;
        Poller = poller;
    }

    internal StreamPoller Poller { get; }

    /// <summary>The newest snapshot not yet read; completes with the poller's error if it fails.</summary>
    public ChannelReader<TopContributorsSnapshot> Reader => _latest.Reader;

    internal void Offer(TopContributorsSnapshot snapshot) => _latest.Writer.TryWrite(snapshot);

    internal void Complete(Exception? error) => _latest.Writer.TryComplete(error);

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        _latest.Writer.TryComplete();
        return _hub.UnsubscribeAsync(this);
    }
}
