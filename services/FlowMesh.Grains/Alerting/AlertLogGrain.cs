using FlowMesh.Alerts.Rules;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FlowMesh.Grains.Alerting;

/// <summary>
/// Numbers every transition, keeps the active alarms and the latest transitions, wakes streams
/// waiting for the next one, and hands each to the webhook notifier of the silo it lives on
/// (one log grain in the cluster, so each transition is posted once).
/// </summary>
internal sealed class AlertLogGrain(IOptions<AlertsOptions> options, AlertWebhookNotifier notifier, IHostApplicationLifetime lifetime) : Grain, IAlertLogGrain
{
    private readonly Dictionary<(string Rule, string Group), AlertEvent> _active = [];
    private readonly Queue<AlertEvent> _recent = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public Task RecordAsync(AlertEvent[] events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Length == 0) return Task.CompletedTask;
        var numbered = new AlertEvent[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            var e = numbered[i] = events[i] with { Sequence = ++_sequence };
            if (e.InAlarm) _active[(e.Rule, e.Group)] = e;
            else _active.Remove((e.Rule, e.Group));
            _recent.Enqueue(e);
        }
        while (_recent.Count > options.Value.RecentTransitions) _recent.Dequeue();
        notifier.Enqueue(numbered);
        var woken = _next;
        _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        woken.TrySetResult();
        return Task.CompletedTask;
    }

    public Task<AlertLogSnapshot> GetAsync(int limit)
    {
        var active = _active.Values.OrderBy(e => e.Sequence).ToArray();
        var recent = _recent.Reverse().Take(Math.Max(0, limit)).ToArray();
        return Task.FromResult(new AlertLogSnapshot(_sequence, active, recent));
    }

    public async Task<AlertEvent[]> WaitForEventsAsync(long afterSequence, TimeSpan maxWait)
    {
        // A sequence from before this log was activated (it restarted): everything it holds is new.
        if (afterSequence > _sequence) afterSequence = 0;
        if (_sequence == afterSequence)
        {
            // A stopping silo answers at once: a pending wait would otherwise hold its shutdown for up to maxWait.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
            timeout.CancelAfter(maxWait);
            try
            {
                await _next.Task.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                return [];
            }
        }
        return [.. _recent.Where(e => e.Sequence > afterSequence)];
    }
}
