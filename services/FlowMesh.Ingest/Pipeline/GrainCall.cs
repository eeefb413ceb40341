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
    public Task InvokeAsync(GrainReferences grains) => Kind switch
    {
        GrainKind.Interface => grains.Get<IInterfaceGrain>(Kind, Key).ApplyAsync(Delta!),
        GrainKind.Address => grains.Get<IAddressGrain>(Kind, Key).ApplyAsync(Delta!),
        GrainKind.AlertRule => grains.Get<IAlertRuleGrain>(Kind, Key).ApplyAsync(Alert!),
        _ => grains.Get<ILeaderboardGrain>(Kind, Key).ApplyAsync(Delta!),
    };
}

/// <summary>
/// References to the grains a flush calls, from a grain type and interface type resolved once per kind.
/// <c>IGrainFactory.GetGrain&lt;T&gt;(string)</c> resolves the interface type by convention on every call,
/// formatting and parsing its type name: a flush makes thousands of calls, and that was ~9 % of the
/// ingest role's allocations (load harness, dotnet-trace).
/// </summary>
internal sealed class GrainReferences
{
    private readonly IGrainFactory _grains;
    private readonly (GrainType Type, GrainInterfaceType Interface)[] _kinds;

    public GrainReferences(IGrainFactory grains)
    {
        _grains = grains;
        _kinds = new (GrainType, GrainInterfaceType)[4];
        _kinds[(int)GrainKind.Interface] = Resolve(grains.GetGrain<IInterfaceGrain>("-"));
        _kinds[(int)GrainKind.Address] = Resolve(grains.GetGrain<IAddressGrain>("-"));
        _kinds[(int)GrainKind.Leaderboard] = Resolve(grains.GetGrain<ILeaderboardGrain>("-"));
        _kinds[(int)GrainKind.AlertRule] = Resolve(grains.GetGrain<IAlertRuleGrain>("-"));
    }

    /// <summary>The reference <c>GetGrain&lt;T&gt;(key)</c> would return for a grain of <paramref name="kind"/>.</summary>
    public T Get<T>(GrainKind kind, string key) where T : IGrainWithStringKey
    {
        var (type, iface) = _kinds[(int)kind];
        return (T)_grains.GetGrain(GrainId.Create(type, key), iface);
    }

    // A reference is only an id and an interface type: creating one activates nothing.
    private static (GrainType, GrainInterfaceType) Resolve(IAddressable probe) =>
        (probe.GetGrainId().Type, ((GrainReference)probe).InterfaceType);
}
