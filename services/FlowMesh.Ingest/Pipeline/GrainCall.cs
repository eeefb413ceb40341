using FlowMesh.Grains;

namespace FlowMesh.Ingest.Pipeline;

/// <summary>Which grain type a delta goes to.</summary>
internal enum GrainKind : byte { Interface, Address, Leaderboard, AlertRule }

/// <summary>
/// One grain's delta of one flush: a <see cref="FlowDelta"/> for the views, an <see cref="AlertDelta"/>
/// for an alert rule. Idempotent by the flush id, so it can be re-sent.
/// </summary>
internal sealed record GrainCall(GrainKind Kind, string Key, FlowDelta? Delta, AlertDelta? Alert = null)
{
    public Task InvokeAsync(IGrainFactory grains) => Kind switch
    {
        GrainKind.Interface => grains.GetGrain<IInterfaceGrain>(Key).ApplyAsync(Delta!),
        GrainKind.Address => grains.GetGrain<IAddressGrain>(Key).ApplyAsync(Delta!),
        GrainKind.AlertRule => grains.GetGrain<IAlertRuleGrain>(Key).ApplyAsync(Alert!),
        _ => grains.GetGrain<ILeaderboardGrain>(Key).ApplyAsync(Delta!),
    };
}
