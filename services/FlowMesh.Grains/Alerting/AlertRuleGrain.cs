using FlowMesh.Alerts;
using FlowMesh.Alerts.Rules;
using FlowMesh.Grains.Views;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlowMesh.Grains.Alerting;

/// <summary>
/// One rule's open period and alarm states. Periods are measured on the <see cref="AlertClock"/>
/// (arrival time: a flush counts in the period open when it reaches the grain), aligned to
/// multiples of the period since the Unix epoch. Closing a period evaluates every group that had
/// traffic in it or has an alarm state; a group absent from a period has the value 0. Groups whose
/// state is OK with no breaching value are dropped (a new state machine behaves the same), so
/// memory is bounded by the groups active in the last evaluation periods.
/// </summary>
internal sealed partial class AlertRuleGrain(
    AlertRuleSet rules,
    AlertClock clock,
    IOptions<AlertsOptions> options,
    TimeProvider time,
    ILogger<AlertRuleGrain> logger) : Grain, IAlertRuleGrain
{
    private readonly Dictionary<string, GroupAggregate> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AlarmStateMachine> _machines = new(StringComparer.Ordinal);
    private readonly AppliedFlushes _applied = new(TimeSpan.FromMinutes(30));
    private AlertRule? _rule;
    private long _openStartTicks;
    private DateTimeOffset? _evaluatedThrough;
    private long _dropped;
    private readonly List<AlertEvent> _unsent = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Alarm states live in memory: the grain stays until its silo stops.
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        _rule = rules.Find(this.GetPrimaryKeyString());
        if (_rule is not null) _openStartTicks = Align(clock.Now.UtcTicks);
        return Task.CompletedTask;
    }

    public async Task<bool> ApplyAsync(AlertDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (_rule is null)
        {
            // The ingest process knows a rule this silo does not: the roles' configurations differ.
            LogUnknownRule(logger, this.GetPrimaryKeyString());
            return false;
        }
        if (!_applied.TryAdd(delta.FlushId, delta.Sequence, time.GetUtcNow())) return false;
        await CloseElapsedAsync();
        var max = options.Value.MaxGroupsPerRule;
        foreach (var partial in delta.Groups)
        {
            if (!_open.TryGetValue(partial.Group, out var aggregate))
            {
                if (_open.Count >= max)
                {
                    _dropped++;
                    continue;
                }
                _open[partial.Group] = aggregate = new GroupAggregate();
            }
            aggregate.Merge(partial.Flows, partial.Packets, partial.Bytes, partial.RejectedFlows, partial.Addresses, partial.Ports);
        }
        return true;
    }

    public async Task<AlertRuleStatus> TickAsync()
    {
        if (_rule is not null) await CloseElapsedAsync();
        return Status();
    }

    public Task<AlertRuleStatus> GetStatusAsync() => Task.FromResult(Status());

    private AlertRuleStatus Status() => new(
        this.GetPrimaryKeyString(), _rule is not null, _evaluatedThrough, new DateTimeOffset(_openStartTicks, TimeSpan.Zero),
        _open.Count, _machines.Count, _machines.Values.Count(m => m.State == AlarmState.Alarm), _dropped);

    private async Task CloseElapsedAsync()
    {
        var rule = _rule!;
        var period = rule.Period.Ticks;
        var now = clock.Now.UtcTicks;
        List<AlertEvent>? events = null;
        while (_openStartTicks + period <= now)
        {
            if (_open.Count == 0 && _machines.Count == 0)
            {
                // Nothing to evaluate: jump to the period open now.
                _openStartTicks = Align(now);
                _evaluatedThrough = new DateTimeOffset(_openStartTicks, TimeSpan.Zero);
                break;
            }
            ClosePeriod(rule, ref events);
            _openStartTicks += period;
            _evaluatedThrough = new DateTimeOffset(_openStartTicks, TimeSpan.Zero);
        }
        if (events is not null) _unsent.AddRange(events);
        if (_unsent.Count == 0) return;
        try
        {
            await GrainFactory.GetGrain<IAlertLogGrain>(GrainKeys.AlertLog).RecordAsync([.. _unsent]);
            _unsent.Clear();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Kept and sent with the next tick: a transition is never dropped for a failed call.
            LogRecordFailed(logger, ex, _rule!.Name, _unsent.Count);
        }
    }

    private void ClosePeriod(AlertRule rule, ref List<AlertEvent>? events)
    {
        var start = new DateTimeOffset(_openStartTicks, TimeSpan.Zero);
        var end = start + rule.Period;
        foreach (var group in _open.Keys.Union(_machines.Keys, StringComparer.Ordinal).ToArray())
        {
            var aggregate = _open.GetValueOrDefault(group);
            var value = rule.Value(aggregate);
            if (!_machines.TryGetValue(group, out var machine))
            {
                if (value <= rule.Threshold) continue; // a new machine would stay quiet
                _machines[group] = machine = new AlarmStateMachine(rule.Name, group, rule.Threshold, rule.EvaluationPeriods, rule.DatapointsToAlarm);
            }
            if (machine.Observe(value, end) is { } transition)
            {
                (events ??= []).Add(new AlertEvent(
                    0, rule.Name, group, transition.To == AlarmState.Alarm, end, start, value, rule.Threshold, [.. transition.RecentValues],
                    aggregate?.Flows ?? 0, aggregate?.Packets ?? 0, aggregate?.Bytes ?? 0, aggregate?.RejectedFlows ?? 0,
                    aggregate?.DistinctCount ?? 0, rule.Description));
            }
            if (machine.IsQuiet) _machines.Remove(group);
        }
        _open.Clear();
    }

    private long Align(long ticks)
    {
        var period = _rule!.Period.Ticks;
        var sinceEpoch = ticks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.UtcTicks + sinceEpoch - (sinceEpoch % period);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert rule {Rule} is not configured on this silo; its traffic is ignored. Give every role the same FlowMesh:Alerts settings.")]
    private static partial void LogUnknownRule(ILogger logger, string rule);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert rule {Rule} could not record {Count} transitions in the alert log; retrying at the next tick.")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string rule, int count);
}
