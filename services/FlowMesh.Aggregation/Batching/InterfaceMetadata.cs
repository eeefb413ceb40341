namespace FlowMesh.Aggregation.Batching;

/// <summary>What a batch saw about one interface: its ids and the event-time range of its records.</summary>
public sealed record InterfaceMetadata(
    string InterfaceId,
    string? AccountId,
    string? VpcId,
    string? SubnetId,
    string? InstanceId,
    long FirstSeenUnix,
    long LastSeenUnix)
{
    /// <summary>Combines two observations: later non-empty ids win, the time range widens.</summary>
    public InterfaceMetadata Merge(InterfaceMetadata other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new InterfaceMetadata(
            InterfaceId,
            other.AccountId ?? AccountId,
            other.VpcId ?? VpcId,
            other.SubnetId ?? SubnetId,
            other.InstanceId ?? InstanceId,
            Math.Min(FirstSeenUnix, other.FirstSeenUnix),
            Math.Max(LastSeenUnix, other.LastSeenUnix));
    }
}
