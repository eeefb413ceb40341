using System.Net;

namespace FlowMesh.FlowLogs.Tests;

/// <summary>Random formats and records (each field present or '-') for round-trip and fuzz tests.</summary>
public static class RandomFlows
{
    private static readonly string[] Ids = ["eni-0a1b2c3d4e5f60718", "vpc-1", "subnet-abc", "i-0123", "unknown-ish", "arn:aws:ecs:us-east-1:1:task/x", "é-ü", "S3", "BPA"];

    public static FlowLogFormat Format(Random random)
    {
        var fields = FlowFieldInfo.All.Where(_ => random.Next(3) > 0).ToList();
        if (fields.Count == 0) fields.Add(FlowField.SrcAddr);
        var shuffled = fields.OrderBy(_ => random.Next()).ToList();
        return FlowLogFormat.FromFields(shuffled);
    }

    public static FlowRecord Record(Random random, FlowLogFormat format)
    {
        var record = new FlowRecord();
        ulong present = 0;
        foreach (var field in format.Fields)
        {
            if (random.Next(6) == 0) continue; // '-'
            present |= 1UL << (int)field;
            Set(ref record, field, random);
        }
        record.Present = new FlowFieldSet(present);
        return record;
    }

    public static FlowAddress Address(Random random)
    {
        if (random.Next(2) == 0) return FlowAddress.FromIPv4((uint)random.NextInt64(0, 1L << 32));
        var bytes = new byte[16];
        random.NextBytes(bytes);
        if (random.Next(2) == 0) Array.Clear(bytes, random.Next(8), random.Next(8));
        return FlowAddress.FromIPAddress(new IPAddress(bytes));
    }

    private static string Id(Random random) =>
        random.Next(3) == 0 ? Ids[random.Next(Ids.Length)] : $"id-{random.Next(1000):x}";

    private static long Long(Random random) => random.Next(4) switch
    {
        0 => 0,
        1 => long.MaxValue,
        _ => random.NextInt64(0, long.MaxValue),
    };

    private static void Set(ref FlowRecord r, FlowField field, Random random)
    {
        switch (field)
        {
            case FlowField.Version: r.Version = random.Next(2, 9); break;
            case FlowField.AccountId: r.AccountId = random.Next(4) == 0 ? "unknown" : random.NextInt64(0, 1_000_000_000_000).ToString("D12", null); break;
            case FlowField.SrcAddr: r.SrcAddr = Address(random); break;
            case FlowField.DstAddr: r.DstAddr = Address(random); break;
            case FlowField.PktSrcAddr: r.PktSrcAddr = Address(random); break;
            case FlowField.PktDstAddr: r.PktDstAddr = Address(random); break;
            case FlowField.SrcPort: r.SrcPort = random.Next(65536); break;
            case FlowField.DstPort: r.DstPort = random.Next(65536); break;
            case FlowField.Protocol: r.Protocol = random.Next(256); break;
            case FlowField.Packets: r.Packets = Long(random); break;
            case FlowField.Bytes: r.Bytes = Long(random); break;
            case FlowField.Start: r.Start = random.NextInt64(-2_000_000_000, 4_000_000_000); break;
            case FlowField.End: r.End = Long(random); break;
            case FlowField.Action: r.Action = (FlowAction)random.Next(1, 3); break;
            case FlowField.LogStatus: r.LogStatus = (LogStatus)random.Next(1, 4); break;
            case FlowField.TcpFlags: r.TcpFlags = random.Next(256); break;
            case FlowField.Type: r.Type = (TrafficType)random.Next(1, 4); break;
            case FlowField.FlowDirection: r.FlowDirection = (FlowDirection)random.Next(1, 3); break;
            case FlowField.TrafficPath: r.TrafficPath = random.Next(1, 9); break;
            case FlowField.InterfaceId: r.InterfaceId = Id(random); break;
            case FlowField.VpcId: r.VpcId = Id(random); break;
            case FlowField.SubnetId: r.SubnetId = Id(random); break;
            case FlowField.InstanceId: r.InstanceId = Id(random); break;
            case FlowField.Region: r.Region = Id(random); break;
            case FlowField.AzId: r.AzId = Id(random); break;
            case FlowField.SublocationType: r.SublocationType = Id(random); break;
            case FlowField.SublocationId: r.SublocationId = Id(random); break;
            case FlowField.PktSrcAwsService: r.PktSrcAwsService = Id(random); break;
            case FlowField.PktDstAwsService: r.PktDstAwsService = Id(random); break;
            case FlowField.EcsClusterArn: r.EcsClusterArn = Id(random); break;
            case FlowField.EcsClusterName: r.EcsClusterName = Id(random); break;
            case FlowField.EcsContainerInstanceArn: r.EcsContainerInstanceArn = Id(random); break;
            case FlowField.EcsContainerInstanceId: r.EcsContainerInstanceId = Id(random); break;
            case FlowField.EcsContainerId: r.EcsContainerId = Id(random); break;
            case FlowField.EcsSecondContainerId: r.EcsSecondContainerId = Id(random); break;
            case FlowField.EcsServiceName: r.EcsServiceName = Id(random); break;
            case FlowField.EcsTaskDefinitionArn: r.EcsTaskDefinitionArn = Id(random); break;
            case FlowField.EcsTaskArn: r.EcsTaskArn = Id(random); break;
            case FlowField.EcsTaskId: r.EcsTaskId = Id(random); break;
            case FlowField.RejectReason: r.RejectReason = Id(random); break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, null);
        }
    }
}
