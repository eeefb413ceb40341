namespace FlowMesh.Alerts.Rules;

/// <summary>State of one rule for one group (e.g. one source address).</summary>
public enum AlarmState { Ok = 0, Alarm = 1 }

/// <summary>A change of state, with when it happened and the values that caused it.</summary>
public sealed record AlarmTransition(
    string Rule, string Group, AlarmState From, AlarmState To, DateTimeOffset At, double Value, double Threshold, IReadOnlyList<double> RecentValues);
