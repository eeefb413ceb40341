using FlowMesh.Alerts.Rules;
using FlowMesh.Grains;
using Google.Protobuf.WellKnownTypes;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Query;

internal static partial class ProtoMapping
{
    public static V1.AlertRule ToProto(AlertRule rule, AlertRuleStatus status) => new()
    {
        Name = rule.Name,
        Description = rule.Description,
        BuiltIn = rule.BuiltIn,
        Summary = rule.Summary(),
        Aggregation = AlertNames.Name(rule.Aggregation),
        GroupBy = AlertNames.Name(rule.GroupBy),
        Period = Duration.FromTimeSpan(rule.Period),
        Threshold = rule.Threshold,
        EvaluationPeriods = (uint)rule.EvaluationPeriods,
        DatapointsToAlarm = (uint)rule.DatapointsToAlarm,
        Status = new V1.AlertRuleStatus
        {
            EvaluatedThrough = status.EvaluatedThrough is { } through ? Timestamp.FromDateTimeOffset(through) : null,
            OpenPeriodStart = status.Known ? Timestamp.FromDateTimeOffset(status.OpenPeriodStart) : null,
            OpenGroups = (uint)status.OpenGroups,
            TrackedGroups = (uint)status.TrackedGroups,
            GroupsInAlarm = (uint)status.GroupsInAlarm,
            DroppedGroupUpdates = (ulong)status.DroppedGroupUpdates,
        },
    };

    public static V1.AlertEvent ToProto(AlertEvent e)
    {
        var proto = new V1.AlertEvent
        {
            Sequence = (ulong)e.Sequence,
            Rule = e.Rule,
            Group = e.Group,
            State = e.InAlarm ? V1.AlertState.Alarm : V1.AlertState.Ok,
            PreviousState = e.InAlarm ? V1.AlertState.Ok : V1.AlertState.Alarm,
            At = Timestamp.FromDateTimeOffset(e.At),
            PeriodStart = Timestamp.FromDateTimeOffset(e.PeriodStart),
            Value = e.Value,
            Threshold = e.Threshold,
            Flows = (ulong)e.Flows,
            Packets = (ulong)e.Packets,
            Bytes = (ulong)e.Bytes,
            RejectedFlows = (ulong)e.RejectedFlows,
            Distinct = (uint)e.Distinct,
            Description = e.Description,
        };
        proto.RecentValues.AddRange(e.RecentValues);
        return proto;
    }
}
