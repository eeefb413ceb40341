using FlowMesh.Aggregation;
using FlowMesh.Grains;
using Microsoft.Extensions.Logging;

namespace FlowMesh.Query;

/// <summary>
/// The one upstream of every subscription to the same <see cref="StreamKey"/>. Each interval it
/// asks the grain for its cheap data version and fetches a snapshot only when the version changed
/// or the minute rolled over (windows slide even when no data arrives), then offers the snapshot
/// to every subscriber's latest-value slot. Offering never blocks, so subscribers cannot slow it.
/// </summary>
internal sealed class StreamPoller : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<StreamSubscription> _subscribers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private TopContributorsSnapshot? _latest;
    private Task _run = Task.CompletedTask;
    private int _disposed;

    public StreamPoller(StreamKey key, IGrainFactory grains, TimeProvider time, ILogger logger)
    {
        Key = key;
        _grains = grains;
        _time = time;
        _logger = logger;
    }

    public StreamKey Key { get; }

    public int SubscriberCount
    {
        get
        {
            lock (_gate) return _subscribers.Count;
        }
    }

    /// <summary>The snapshot subscribers were last offered, or null before the first poll.</summary>
    public TopContributorsSnapshot? Latest
    {
        get
        {
            lock (_gate) return _latest;
        }
    }

    /// <summary>Starts polling; <paramref name="onFailure"/> runs once if the grain cannot be read.</summary>
    public void Start(Action<StreamPoller, Exception> onFailure) => _run = Task.Run(() => RunAsync(onFailure, _stop.Token));

    /// <summary>Adds a subscriber; it receives the latest snapshot at once when there is one.</summary>
    public void Add(StreamSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Add(subscription);
            if (_latest is { } latest) subscription.Offer(latest);
        }
    }

    /// <summary>Removes a subscriber; returns how many remain.</summary>
    public int Remove(StreamSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
            return _subscribers.Count;
        }
    }

    /// <summary>Stops polling and waits for the loop to end (it ends at its next await).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }

    /// <summary>Ends every subscription (normally, or with the poller's error).</summary>
    public void CompleteAll(Exception? error)
    {
        lock (_gate)
        {
            foreach (var subscription in _subscribers) subscription.Complete(error);
        }
    }

    private async Task RunAsync(Action<StreamPoller, Exception> onFailure, CancellationToken cancellationToken)
    {
        var grain = Key.Target.Grain(_grains);
        long? seenVersion = null;
        var seenMinute = long.MinValue;
        try
        {
            while (true)
            {
                var version = await grain.GetVersionAsync().WaitAsync(cancellationToken);
                var minute = EventMinute.FromTime(_time.GetUtcNow());
                if (version != seenVersion || minute != seenMinute)
                {
                    var snapshot = await grain.GetTopContributorsAsync(Key.Query).WaitAsync(cancellationToken);
                    (seenVersion, seenMinute) = (version, minute);
                    Publish(snapshot);
                }
                await Task.Delay(Key.Interval, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: the last subscriber left or the host is shutting down.
        }
        catch (Exception ex)
        {
            QueryLog.PollerFailed(_logger, ex, Key.Target.Scope, SubscriberCount);
            onFailure(this, ex);
        }
    }

    private void Publish(TopContributorsSnapshot snapshot)
    {
        lock (_gate)
        {
            // A version change elsewhere in the grain (e.g. the other role of an address) can leave
            // this view's answer unchanged: subscribers only hear about real changes.
            if (_latest is { } last && SameAnswer(last, snapshot)) return;
            _latest = snapshot;
            foreach (var subscription in _subscribers) subscription.Offer(snapshot);
        }
    }

    private static bool SameAnswer(TopContributorsSnapshot a, TopContributorsSnapshot b) =>
        ReferenceEquals(a, b)
        || (a.Version == b.Version && a.LastUpdated == b.LastUpdated && a.WindowStartUnix == b.WindowStartUnix
            && a.CoverageStartUnix == b.CoverageStartUnix);
}
