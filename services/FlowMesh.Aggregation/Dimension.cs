namespace FlowMesh.Aggregation;

/// <summary>What a contributor is: the key a top-N list ranks.</summary>
public enum Dimension : byte
{
    SourceAddress = 1,
    DestinationAddress = 2,
    Interface = 3,
    DestinationPort = 4,
    Protocol = 5,
    /// <summary>Source and destination address together (directional).</summary>
    AddressPair = 6,
    /// <summary>From an interface's or address's point of view: the other side of the flow.</summary>
    PeerAddress = 7,
    /// <summary>From an interface's point of view: its own address in the flow.</summary>
    LocalAddress = 8,
}

/// <summary>What a contributor is ranked by.</summary>
public enum Metric : byte
{
    Bytes = 1,
    Packets = 2,
    Flows = 3,
    /// <summary>Flows whose action was REJECT.</summary>
    RejectedFlows = 4,
}
