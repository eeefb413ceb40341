using FlowMesh.Alerts.Rules;

namespace FlowMesh.Alerts.Tests;

public sealed class AlarmStateMachineQuietTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void IsQuiet_OkWithoutBreachingRecentValue()
    {
        var machine = new AlarmStateMachine("r", "g", threshold: 10, evaluationPeriods: 3, datapointsToAlarm: 2);
        Assert.True(machine.IsQuiet);
        Assert.Empty(machine.RecentValues);

        machine.Observe(10, T0);                 // at the threshold: not breaching
        Assert.True(machine.IsQuiet);
        machine.Observe(11, T0.AddMinutes(1));   // one breach of two needed: still OK, but not quiet
        Assert.Equal(AlarmState.Ok, machine.State);
        Assert.False(machine.IsQuiet);
        machine.Observe(1, T0.AddMinutes(2));
        machine.Observe(2, T0.AddMinutes(3));
        Assert.False(machine.IsQuiet);           // 11 is still among the last three
        machine.Observe(3, T0.AddMinutes(4));
        Assert.True(machine.IsQuiet);            // it left the window
        Assert.Equal([1.0, 2, 3], machine.RecentValues);

        machine.Observe(20, T0.AddMinutes(5));
        machine.Observe(30, T0.AddMinutes(6));
        Assert.Equal(AlarmState.Alarm, machine.State);
        Assert.False(machine.IsQuiet);
        machine.Observe(0, T0.AddMinutes(7));
        Assert.Equal(AlarmState.Alarm, machine.State);
        Assert.False(machine.IsQuiet);           // in ALARM: never quiet
        Assert.Equal([20.0, 30, 0], machine.RecentValues);
        Assert.NotNull(machine.Observe(0, T0.AddMinutes(8)));
        Assert.Equal(AlarmState.Ok, machine.State);
        Assert.False(machine.IsQuiet);           // OK again, but 30 is still recent
        machine.Observe(0, T0.AddMinutes(9));
        Assert.True(machine.IsQuiet);
    }

    [Fact]
    public void Observe_SustainedBreach_WithFewDatapointsToAlarm_AlarmsOnceAndStays()
    {
        // 1 of 3 to alarm: [0, 0, 5] alarms; [0, 5, 5] still has one clear value but two breaching — it must stay in ALARM.
        var machine = new AlarmStateMachine("r", "g", threshold: 1, evaluationPeriods: 3, datapointsToAlarm: 1);
        double[] values = [0, 0, 5, 5, 5, 5, 0, 0, 0];
        var transitions = values.Select((v, i) => (i, t: machine.Observe(v, T0.AddMinutes(i)))).Where(x => x.t is not null).Select(x => (x.i, x.t!.To)).ToList();
        Assert.Equal([(2, AlarmState.Alarm), (8, AlarmState.Ok)], transitions);

        // 2 of 5: [0, 0, 0, 5, 5] alarms and three breaching of five never returns to OK.
        machine = new AlarmStateMachine("r", "g", threshold: 1, evaluationPeriods: 5, datapointsToAlarm: 2);
        values = [0, 0, 0, 5, 5, 5, 5, 5, 0, 0, 0, 0];
        transitions = values.Select((v, i) => (i, t: machine.Observe(v, T0.AddMinutes(i)))).Where(x => x.t is not null).Select(x => (x.i, x.t!.To)).ToList();
        // [5, 5, 0, 0, 0] at period 10: three clear, two breaching (still ≥ 2 of 5) — ALARM until [5, 0, 0, 0, 0].
        Assert.Equal([(4, AlarmState.Alarm), (11, AlarmState.Ok)], transitions);
    }

    /// <summary>
    /// "Quiet ⇒ behaves like a new machine", by brute force: a machine dropped whenever it is quiet and
    /// recreated on the next breaching value (as the rule grain does) makes exactly the transitions of one
    /// machine kept forever. Also checks the documented rule on the kept machine: whenever at least
    /// datapointsToAlarm of the last evaluationPeriods values breach, it is in ALARM.
    /// </summary>
    [Fact]
    public void Quiet_DroppedAndRecreated_SameTransitionsAsKeptForever()
    {
        var random = new Random(20261126);
        int drops = 0, transitionsSeen = 0;
        for (var trial = 0; trial < 3000; trial++)
        {
            var periods = random.Next(1, 6);
            var datapoints = random.Next(1, periods + 1);
            var threshold = random.Next(4) == 0 ? random.NextDouble() : random.Next(0, 50);
            var breachChance = random.NextDouble();
            var values = new double[random.Next(1, 60)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = random.Next(8) switch
                {
                    0 => threshold,                                            // exactly at the threshold: not breaching
                    _ when random.NextDouble() < breachChance => threshold + 0.001 + random.NextDouble() * 20,
                    _ => Math.Max(0, threshold - random.NextDouble() * 20),
                };
            }

            var kept = new AlarmStateMachine("r", "g", threshold, periods, datapoints);
            AlarmStateMachine? dropped = null;
            var keptTransitions = new List<(int Period, AlarmState From, AlarmState To)>();
            var droppedTransitions = new List<(int Period, AlarmState From, AlarmState To)>();
            for (var i = 0; i < values.Length; i++)
            {
                var at = T0.AddMinutes(i);
                if (kept.Observe(values[i], at) is { } k) keptTransitions.Add((i, k.From, k.To));
                var window = values[Math.Max(0, i - periods + 1)..(i + 1)];
                var breaching = window.Count(v => v > threshold);
                if (breaching >= datapoints)
                    Assert.True(kept.State == AlarmState.Alarm, $"periods {periods}, datapoints {datapoints}, threshold {threshold}: [{string.Join(", ", window)}] has {breaching} breaching but the state is {kept.State}");
                if (window.Length - breaching >= datapoints && breaching < datapoints)
                    Assert.Equal(AlarmState.Ok, kept.State);

                if (dropped is null)
                {
                    if (values[i] <= threshold) continue;
                    dropped = new AlarmStateMachine("r", "g", threshold, periods, datapoints);
                }
                if (dropped.Observe(values[i], at) is { } d) droppedTransitions.Add((i, d.From, d.To));
                if (dropped.IsQuiet)
                {
                    dropped = null;
                    drops++;
                }
            }
            Assert.True(keptTransitions.SequenceEqual(droppedTransitions),
                $"periods {periods}, datapoints {datapoints}, threshold {threshold}, values [{string.Join(", ", values)}]: kept {string.Join(" ", keptTransitions)}, dropped {string.Join(" ", droppedTransitions)}");
            transitionsSeen += keptTransitions.Count;
        }
        Assert.True(drops > 1000);
        Assert.True(transitionsSeen > 1000);
    }
}
