using FlowMesh.Grains;

namespace FlowMesh.Ingest.Pipeline;

/// <summary>Which grain type a delta goes to.</summary>
internal enum GrainKind : byte { Interface, Address, Leaderboard }

/// <summary>One grain's delta of one flush. Idempotent by the delta's flush id, so it can be re-sent.</summary>
internal sealed record GrainCall(GrainKind Kind, string Key, FlowDelta Delta)
{
    public Task<ApplyResult> InvokeAsync(IGrainFactory grains) => Kind switch
    {
        GrainKind.Interface => grains.GetGrain<IInterfaceGrain>(Key).ApplyAsync(Delta),
        GrainKind.Address => grains.GetGrain<IAddressGrain>(Key).ApplyAsync(Delta),
        _ => grains.GetGrain<ILeaderboardGrain>(Key).ApplyAsync(Delta),
    };
}
