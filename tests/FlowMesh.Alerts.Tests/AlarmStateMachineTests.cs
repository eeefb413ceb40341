using FlowMesh.Alerts.Diagnostics;
using FlowMesh.Alerts.Rules;

namespace FlowMesh.Alerts.Tests;

public sealed class AlarmStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Observe_TwoOfThreeBreaching_AlarmsThenRecoversWithoutFlapping()
    {
        var machine = new AlarmStateMachine("ssh-from-outside", "198.51.100.23", threshold: 10, evaluationPeriods: 3, datapointsToAlarm: 2);
        double[] values = [3, 50, 4, 60, 70, 5, 80, 2, 1, 0];
        var transitions = new List<(int Period, AlarmTransition T)>();
        for (var i = 0; i < values.Length; i++)
        {
            if (machine.Observe(values[i], T0.AddMinutes(i)) is { } t) transitions.Add((i, t));
        }

        // Breaches at periods 1, 3, 4, 6: the window [50, 4, 60] holds two breaches at period 3.
        // Recovery needs two clear values among the last three: [5, 80, 2] at period 7.
        Assert.Equal(2, transitions.Count);
        Assert.Equal((3, AlarmState.Ok, AlarmState.Alarm), (transitions[0].Period, transitions[0].T.From, transitions[0].T.To));
        Assert.Equal([50.0, 4, 60], transitions[0].T.RecentValues);
        Assert.Equal(T0.AddMinutes(3), transitions[0].T.At);
        Assert.Equal((7, AlarmState.Alarm, AlarmState.Ok), (transitions[1].Period, transitions[1].T.From, transitions[1].T.To));
        Assert.Equal([5.0, 80, 2], transitions[1].T.RecentValues);
        Assert.Equal(AlarmState.Ok, machine.State);
    }

    [Fact]
    public void Observe_SingleSpikes_NeverAlarm()
    {
        var machine = new AlarmStateMachine("reject-rate", "eni-1", threshold: 0.2, evaluationPeriods: 3, datapointsToAlarm: 2);
        double[] values = [0.1, 0.9, 0.1, 0.1, 0.9, 0.1, 0.1, 0.9];
        var transitions = values.Select((v, i) => machine.Observe(v, T0.AddMinutes(i))).Where(t => t is not null).ToList();
        Assert.Empty(transitions);
    }

    [Fact]
    public void Observe_AtThresholdExactly_IsNotBreaching()
    {
        var machine = new AlarmStateMachine("r", "g", threshold: 10, evaluationPeriods: 1, datapointsToAlarm: 1);
        Assert.Null(machine.Observe(10, T0));
        Assert.NotNull(machine.Observe(10.5, T0.AddMinutes(1)));
    }

    [Theory]
    [InlineData(5000, 0, 60, CaptureAssessment.ProbablyAcceptOnly)]
    [InlineData(0, 900, 45, CaptureAssessment.ProbablyRejectOnly)]
    [InlineData(5000, 1, 60, CaptureAssessment.Both)]
    [InlineData(5000, 0, 10, CaptureAssessment.Undetermined)]
    [InlineData(40, 0, 120, CaptureAssessment.Undetermined)]
    public void Assess_CaptureFilterEvidence_Classified(long accepted, long rejected, int minutes, CaptureAssessment expected)
    {
        Assert.Equal(expected, CaptureFilterDetector.Assess(accepted, rejected, TimeSpan.FromMinutes(minutes)));
    }
}
