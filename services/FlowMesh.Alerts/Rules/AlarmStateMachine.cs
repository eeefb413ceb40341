namespace FlowMesh.Alerts.Rules;

/// <summary>
/// OK ⇄ ALARM for one rule and group, without flapping: like a CloudWatch alarm with
/// "datapoints to alarm", it goes to ALARM when at least <c>datapointsToAlarm</c> of the last
/// <c>evaluationPeriods</c> values breach the threshold, and back to OK only when at least as many
/// of them do not and fewer than that many breach (with <c>datapointsToAlarm</c> at most half of
/// <c>evaluationPeriods</c> both can hold at once; the alarm condition wins). A single spike or dip never flips it.
/// </summary>
public sealed class AlarmStateMachine
{
    private readonly Queue<double> _recent = new();
    private readonly int _periods;
    private readonly int _datapointsToAlarm;

    public AlarmStateMachine(string rule, string group, double threshold, int evaluationPeriods, int datapointsToAlarm)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(evaluationPeriods, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(datapointsToAlarm, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(datapointsToAlarm, evaluationPeriods);
        Rule = rule;
        Group = group;
        Threshold = threshold;
        _periods = evaluationPeriods;
        _datapointsToAlarm = datapointsToAlarm;
    }

    public string Rule { get; }
    public string Group { get; }
    public double Threshold { get; }
    public AlarmState State { get; private set; }
    public DateTimeOffset? Since { get; private set; }

    /// <summary>
    /// OK with no breaching value among the recent ones: behaves exactly like a new machine, so a
    /// caller may drop it (and create a new one when the group breaches again).
    /// </summary>
    public bool IsQuiet => State == AlarmState.Ok && _recent.All(v => v <= Threshold);

    /// <summary>The values of the last periods, oldest first.</summary>
    public IReadOnlyList<double> RecentValues => [.. _recent];

    /// <summary>Adds the value of one closed evaluation period; returns the transition it caused, if any.</summary>
    public AlarmTransition? Observe(double value, DateTimeOffset periodEnd)
    {
        _recent.Enqueue(value);
        while (_recent.Count > _periods) _recent.Dequeue();
        var breaching = _recent.Count(v => v > Threshold);
        var clear = _recent.Count - breaching;
        var next = State switch
        {
            AlarmState.Ok when breaching >= _datapointsToAlarm => AlarmState.Alarm,
            AlarmState.Alarm when clear >= _datapointsToAlarm && breaching < _datapointsToAlarm => AlarmState.Ok,
            _ => State,
        };
        if (next == State) return null;
        var transition = new AlarmTransition(Rule, Group, State, next, periodEnd, value, Threshold, [.. _recent]);
        State = next;
        Since = periodEnd;
        return transition;
    }
}
