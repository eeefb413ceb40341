using FlowMesh.Aggregation;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace FlowMesh.Query;

/// <summary>
/// Shares upstream work among stream subscribers: all subscriptions with an equal
/// <see cref="StreamKey"/> read from one <see cref="StreamPoller"/>, created by the first
/// subscriber and stopped when the last one leaves. A poller that fails is detached at once, so
/// the next subscriber starts a fresh one.
/// </summary>
internal sealed class TopContributorsStreamHub(IGrainFactory grains, TimeProvider time, QueryMetrics metrics, ILogger<TopContributorsStreamHub> logger)
    : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<StreamKey, StreamPoller> _pollers = [];
    private readonly List<StreamPoller> _shutDown = [];
    private bool _stopping;

    /// <summary>Pollers running now (one per distinct request with at least one subscriber).</summary>
    public int PollerCount
    {
        get
        {
            lock (_gate) return _pollers.Count;
        }
    }

    /// <summary>The snapshot the poller of <paramref name="key"/> last offered, or null when none runs or it has not polled yet.</summary>
    public Grains.TopContributorsSnapshot? LatestFor(StreamKey key)
    {
        lock (_gate) return _pollers.TryGetValue(key, out var poller) ? poller.Latest : null;
    }

    /// <summary>Subscribes to a request; dispose the subscription to leave.</summary>
    public StreamSubscription Subscribe(StreamKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_stopping) throw new RpcException(new Status(StatusCode.Unavailable, "the query service is shutting down; reconnect in a moment"));
            if (!_pollers.TryGetValue(key, out var poller))
            {
                poller = new StreamPoller(key, grains, time, logger);
                _pollers.Add(key, poller);
                metrics.PollerStarted();
                QueryLog.PollerStarted(logger, key.Target.Scope, key.Query.Dimension, key.Query.Metric, key.Query.Window.Minutes(), key.Interval.TotalMilliseconds);
                poller.Start(OnPollerFailed);
            }
            var subscription = new StreamSubscription(this, poller);
            poller.Add(subscription);
            return subscription;
        }
    }

    internal async ValueTask UnsubscribeAsync(StreamSubscription subscription)
    {
        var poller = subscription.Poller;
        bool last;
        lock (_gate)
        {
            last = poller.Remove(subscription) == 0 && Detach(poller);
        }
        if (!last) return;
        QueryLog.PollerStopped(logger, poller.Key.Target.Scope, poller.Key.Query.Dimension, poller.Key.Query.Metric, poller.Key.Query.Window.Minutes());
        await poller.DisposeAsync();
    }

    private void OnPollerFailed(StreamPoller poller, Exception error)
    {
        lock (_gate)
        {
            Detach(poller);
        }
        poller.CompleteAll(error);
    }

    /// <summary>Removes the poller from the map if it is still the one registered for its key. Caller holds the lock.</summary>
    private bool Detach(StreamPoller poller)
    {
        if (!_pollers.TryGetValue(poller.Key, out var registered) || !ReferenceEquals(registered, poller)) return false;
        _pollers.Remove(poller.Key);
        metrics.PollerStopped();
        return true;
    }

    /// <summary>
    /// Host shutdown: ends every subscription normally (streams complete with OK instead of holding
    /// the server's shutdown until its timeout) and refuses new ones.
    /// </summary>
    public void BeginShutdown()
    {
        StreamPoller[] remaining;
        lock (_gate)
        {
            _stopping = true;
            remaining = [.. _pollers.Values];
            foreach (var poller in remaining) Detach(poller);
            _shutDown.AddRange(remaining);
        }
        foreach (var poller in remaining) poller.CompleteAll(null);
    }

    public async ValueTask DisposeAsync()
    {
        BeginShutdown();
        StreamPoller[] stopping;
        lock (_gate)
        {
            stopping = [.. _shutDown];
            _shutDown.Clear();
        }
        foreach (var poller in stopping) await poller.DisposeAsync();
    }
}
