using FlowMesh.Aggregation;
using FlowMesh.Grains;

namespace FlowMesh.Query;

/// <summary>Which kind of grain answers a top-contributor query.</summary>
internal enum QueryTargetKind
{
    Leaderboard = 1,
    Interface = 2,
    Address = 3,
}

/// <summary>
/// The grain that answers a query (a leaderboard scope, an interface or an address) and the
/// canonical scope text users see: all, account:&lt;id&gt;, vpc:&lt;id&gt;, eni:&lt;id&gt;, ip:&lt;address&gt;.
/// </summary>
internal readonly record struct QueryTarget(QueryTargetKind Kind, string Key)
{
    private static readonly Dimension[] LeaderboardDimensions =
    [
        Dimension.SourceAddress, Dimension.DestinationAddress, Dimension.Interface,
        Dimension.DestinationPort, Dimension.Protocol, Dimension.AddressPair,
    ];

    private static readonly Dimension[] InterfaceDimensions =
    [
        Dimension.PeerAddress, Dimension.LocalAddress, Dimension.DestinationPort, Dimension.Protocol, Dimension.AddressPair,
    ];

    // An address grain answers source/destination address from its role views (who sent to it,
    // whom it sent to), and ranks peers, ports, protocols and interfaces over both roles.
    private static readonly Dimension[] AddressDimensions =
    [
        Dimension.PeerAddress, Dimension.SourceAddress, Dimension.DestinationAddress,
        Dimension.DestinationPort, Dimension.Protocol, Dimension.Interface,
    ];

    public static QueryTarget Leaderboard(string scope) => new(QueryTargetKind.Leaderboard, GrainKeys.Leaderboard(scope));

    public static QueryTarget Interface(string interfaceId) => new(QueryTargetKind.Interface, GrainKeys.Interface(interfaceId));

    public static QueryTarget Address(FlowLogs.FlowAddress address) => new(QueryTargetKind.Address, GrainKeys.Address(address));

    public string Scope => Kind switch
    {
        QueryTargetKind.Interface => "eni:" + Key,
        QueryTargetKind.Address => "ip:" + Key,
        _ => Key,
    };

    /// <summary>The dimensions this kind of grain keeps.</summary>
    public IReadOnlyList<Dimension> Dimensions => Kind switch
    {
        QueryTargetKind.Interface => InterfaceDimensions,
        QueryTargetKind.Address => AddressDimensions,
        _ => LeaderboardDimensions,
    };

    /// <summary>Source address for leaderboards; an interface or address ranks its peers instead.</summary>
    public Dimension DefaultDimension => Kind == QueryTargetKind.Leaderboard ? Dimension.SourceAddress : Dimension.PeerAddress;

    public IFlowViewGrain Grain(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return Kind switch
        {
            QueryTargetKind.Interface => grains.GetGrain<IInterfaceGrain>(Key),
            QueryTargetKind.Address => grains.GetGrain<IAddressGrain>(Key),
            _ => grains.GetGrain<ILeaderboardGrain>(Key),
        };
    }
}
