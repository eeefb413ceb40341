using FlowMesh.FlowLogs;
using Orleans.Concurrency;

namespace FlowMesh.Grains;

/// <summary>
/// One group's matching traffic in one flush for one rule: exact sums, plus the distinct sources,
/// destinations or destination ports when the rule counts them (empty otherwise).
/// </summary>
[GenerateSerializer, Immutable, Alias("flowmesh.AlertGroupPartial")]
public sealed record AlertGroupPartial(
    [property: Id(0)] string Group,
    [property: Id(1)] long Flows,
    [property: Id(2)] long Packets,
    [property: Id(3)] long Bytes,
    [property: Id(4)] long RejectedFlows,
    [property: Id(5)] FlowAddress[] Addresses,
    [property: Id(6)] int[] Ports);

/// <summary>A rule's share of one flush. Idempotent by <see cref="FlushId"/>, like <see cref="FlowDelta"/>.</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.AlertDelta")]
public sealed record AlertDelta(
    [property: Id(0)] Guid FlushId,
    [property: Id(1)] AlertGroupPartial[] Groups,
    [property: Id(2)] FlushSequence Sequence = default);

/// <summary>
/// A transition of one rule and group: into ALARM (<see cref="InAlarm"/>) or back to OK, when
/// (<see cref="At"/>, the end of the period that decided it), and the values that caused it — the
/// deciding period's value and sums, and the values of the periods the rule looks at.
/// </summary>
[GenerateSerializer, Immutable, Alias("flowmesh.AlertEvent")]
public sealed record AlertEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string Rule,
    [property: Id(2)] string Group,
    [property: Id(3)] bool InAlarm,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] DateTimeOffset PeriodStart,
    [property: Id(6)] double Value,
    [property: Id(7)] double Threshold,
    [property: Id(8)] double[] RecentValues,
    [property: Id(9)] long Flows,
    [property: Id(10)] long Packets,
    [property: Id(11)] long Bytes,
    [property: Id(12)] long RejectedFlows,
    [property: Id(13)] int Distinct,
    [property: Id(14)] string Description);

/// <summary>Where a rule's evaluation stands.</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.AlertRuleStatus")]
public sealed record AlertRuleStatus(
    [property: Id(0)] string Rule,
    [property: Id(1)] bool Known,
    [property: Id(2)] DateTimeOffset? EvaluatedThrough,
    [property: Id(3)] DateTimeOffset OpenPeriodStart,
    [property: Id(4)] int OpenGroups,
    [property: Id(5)] int TrackedGroups,
    [property: Id(6)] int GroupsInAlarm,
    [property: Id(7)] long DroppedGroupUpdates);

/// <summary>The alarms now active (their ALARM transitions) and the latest transitions, newest first.</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.AlertLogSnapshot")]
public sealed record AlertLogSnapshot(
    [property: Id(0)] long LastSequence,
    [property: Id(1)] AlertEvent[] Active,
    [property: Id(2)] AlertEvent[] Recent);

/// <summary>
/// One rule's periods and alarm states (keyed by rule name). Ingest sends each flush's matching
/// traffic (one call per rule per flush); the silo's ticker closes elapsed periods.
/// </summary>
[Alias("flowmesh.IAlertRuleGrain")]
public interface IAlertRuleGrain : IGrainWithStringKey
{
    /// <summary>Adds a flush's matching traffic to the open period; a flush id already applied is ignored (false).</summary>
    [Alias("Apply")]
    Task<bool> ApplyAsync(AlertDelta delta);

    /// <summary>Closes every period that has ended by now, evaluating each group.</summary>
    [Alias("Tick")]
    Task<AlertRuleStatus> TickAsync();

    [ReadOnly, Alias("GetStatus")]
    Task<AlertRuleStatus> GetStatusAsync();
}

/// <summary>The cluster's alert transitions in order (one grain, <see cref="GrainKeys.AlertLog"/>): numbered, kept, streamed, posted to webhooks.</summary>
[Alias("flowmesh.IAlertLogGrain")]
public interface IAlertLogGrain : IGrainWithStringKey
{
    [Alias("Record")]
    Task RecordAsync(AlertEvent[] events);

    [ReadOnly, Alias("Get")]
    Task<AlertLogSnapshot> GetAsync(int limit);

    /// <summary>Transitions after <paramref name="afterSequence"/>, waiting up to <paramref name="maxWait"/> for the first.</summary>
    [AlwaysInterleave, Alias("WaitForEvents")]
    Task<AlertEvent[]> WaitForEventsAsync(long afterSequence, TimeSpan maxWait);
}
