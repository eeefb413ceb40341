namespace FlowMesh.Grains;

/// <summary>
/// What an interface grain knows about its interface over a window. <see cref="CaptureFilter"/>
/// (undetermined, both, probably_accept_only, probably_reject_only) judges the last hour: a flow log
/// that delivers only ACCEPT records hides every reject, and <see cref="CaptureAdvice"/> says what to do.
/// </summary>
[GenerateSerializer, Immutable, Alias("flowmesh.InterfaceSummary")]
public sealed record InterfaceSummary(
    [property: Id(0)] string InterfaceId,
    [property: Id(1)] string? AccountId,
    [property: Id(2)] string? VpcId,
    [property: Id(3)] string? SubnetId,
    [property: Id(4)] string? InstanceId,
    [property: Id(5)] DateTimeOffset FirstSeen,
    [property: Id(6)] DateTimeOffset LastSeen,
    [property: Id(7)] Aggregation.Window Window,
    [property: Id(8)] TrafficTotals Totals,
    [property: Id(9)] bool AcceptSeen,
    [property: Id(10)] bool RejectSeen,
    [property: Id(11)] IReadOnlyList<string> LocalAddresses,
    [property: Id(12)] IReadOnlyList<ContributorValue> TopPeers,
    [property: Id(13)] IReadOnlyList<ContributorValue> TopDestinationPorts,
    [property: Id(14)] IReadOnlyList<ContributorValue> TopProtocols,
    [property: Id(15)] long LateFlows,
    [property: Id(16)] long Version,
    [property: Id(17)] string CaptureFilter = "undetermined",
    [property: Id(18)] string? CaptureAdvice = null);

/// <summary>Traffic of an address in one role (as source, or as destination).</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.AddressRoleSummary")]
public sealed record AddressRoleSummary(
    [property: Id(0)] TrafficTotals Totals,
    [property: Id(1)] IReadOnlyList<ContributorValue> TopPeers,
    [property: Id(2)] IReadOnlyList<ContributorValue> TopDestinationPorts,
    [property: Id(3)] IReadOnlyList<ContributorValue> TopInterfaces);

/// <summary>What an address grain knows about its address over a window.</summary>
[GenerateSerializer, Immutable, Alias("flowmesh.AddressSummary")]
public sealed record AddressSummary(
    [property: Id(0)] string Address,
    [property: Id(1)] DateTimeOffset FirstSeen,
    [property: Id(2)] DateTimeOffset LastSeen,
    [property: Id(3)] Aggregation.Window Window,
    [property: Id(4)] AddressRoleSummary AsSource,
    [property: Id(5)] AddressRoleSummary AsDestination,
    [property: Id(6)] long LateFlows,
    [property: Id(7)] long Version);
