namespace FlowMesh.FlowLogs;

/// <summary>
/// One VPC flow-log record with every field of versions 2–8. A field that the format does not
/// carry, or that AWS wrote as '-', is absent: <see cref="Present"/> does not contain it and its
/// value is the default. String fields come from the parser's interner, so a record costs no
/// allocation once its ids have been seen. NODATA and SKIPDATA records are ordinary records
/// with <see cref="LogStatus"/> set and no addresses, ports or counters.
/// </summary>
public struct FlowRecord
{
    /// <summary>The fields that had a value (not '-', and part of the format).</summary>
    public FlowFieldSet Present { get; set; }

    public int Version { get; set; }
    public string? AccountId { get; set; }
    public string? InterfaceId { get; set; }
    public FlowAddress SrcAddr { get; set; }
    public FlowAddress DstAddr { get; set; }
    public int SrcPort { get; set; }
    public int DstPort { get; set; }
    public int Protocol { get; set; }
    public long Packets { get; set; }
    public long Bytes { get; set; }
    /// <summary>Unix seconds of the first packet in the capture window.</summary>
    public long Start { get; set; }
    /// <summary>Unix seconds of the last packet in the capture window.</summary>
    public long End { get; set; }
    public FlowAction Action { get; set; }
    public LogStatus LogStatus { get; set; }

    public string? VpcId { get; set; }
    public string? SubnetId { get; set; }
    public string? InstanceId { get; set; }
    /// <summary>The raw tcp-flags bitmask (see <see cref="TcpControlBits"/>; SYN-ACK is 18).</summary>
    public int TcpFlags { get; set; }
    public TrafficType Type { get; set; }
    public FlowAddress PktSrcAddr { get; set; }
    public FlowAddress PktDstAddr { get; set; }

    public string? Region { get; set; }
    public string? AzId { get; set; }
    public string? SublocationType { get; set; }
    public string? SublocationId { get; set; }

    public string? PktSrcAwsService { get; set; }
    public string? PktDstAwsService { get; set; }
    public FlowDirection FlowDirection { get; set; }
    /// <summary>1–8, egress only (see spec §2.3).</summary>
    public int TrafficPath { get; set; }

    public string? EcsClusterArn { get; set; }
    public string? EcsClusterName { get; set; }
    public string? EcsContainerInstanceArn { get; set; }
    public string? EcsContainerInstanceId { get; set; }
    public string? EcsContainerId { get; set; }
    public string? EcsSecondContainerId { get; set; }
    public string? EcsServiceName { get; set; }
    public string? EcsTaskDefinitionArn { get; set; }
    public string? EcsTaskArn { get; set; }
    public string? EcsTaskId { get; set; }

    /// <summary>Why traffic was rejected; only <c>BPA</c> is defined so far.</summary>
    public string? RejectReason { get; set; }

    public readonly bool Has(FlowField field) => Present.Contains(field);

    /// <summary>True for NODATA and SKIPDATA records, which carry no traffic.</summary>
    public readonly bool IsNoTraffic => LogStatus is LogStatus.NoData or LogStatus.SkipData;
}
