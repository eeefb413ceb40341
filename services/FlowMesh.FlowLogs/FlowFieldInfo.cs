using System.Collections.Frozen;

namespace FlowMesh.FlowLogs;

/// <summary>The AWS name and the version that introduced each <see cref="FlowField"/>.</summary>
public static class FlowFieldInfo
{
    /// <summary>Number of fields known to FlowMesh.</summary>
    public const int Count = (int)FlowField.RejectReason + 1;

    private static readonly (string Name, int Version)[] Table =
    [
        ("version", 2), ("account-id", 2), ("interface-id", 2), ("srcaddr", 2), ("dstaddr", 2),
        ("srcport", 2), ("dstport", 2), ("protocol", 2), ("packets", 2), ("bytes", 2),
        ("start", 2), ("end", 2), ("action", 2), ("log-status", 2),
        ("vpc-id", 3), ("subnet-id", 3), ("instance-id", 3), ("tcp-flags", 3), ("type", 3),
        ("pkt-srcaddr", 3), ("pkt-dstaddr", 3),
        ("region", 4), ("az-id", 4), ("sublocation-type", 4), ("sublocation-id", 4),
        ("pkt-src-aws-service", 5), ("pkt-dst-aws-service", 5), ("flow-direction", 5), ("traffic-path", 5),
        ("ecs-cluster-arn", 7), ("ecs-cluster-name", 7), ("ecs-container-instance-arn", 7),
        ("ecs-container-instance-id", 7), ("ecs-container-id", 7), ("ecs-second-container-id", 7),
        ("ecs-service-name", 7), ("ecs-task-definition-arn", 7), ("ecs-task-arn", 7), ("ecs-task-id", 7),
        ("reject-reason", 8),
    ];

    private static readonly FrozenDictionary<string, FlowField> ByName =
        Enumerable.Range(0, Count).ToFrozenDictionary(i => Table[i].Name, i => (FlowField)i, StringComparer.Ordinal);

    private static readonly byte[][] Utf8Names =
        Enumerable.Range(0, Count).Select(i => System.Text.Encoding.ASCII.GetBytes(Table[i].Name)).ToArray();

    /// <summary>All fields in table order.</summary>
    public static IReadOnlyList<FlowField> All { get; } = Enumerable.Range(0, Count).Select(i => (FlowField)i).ToArray();

    /// <summary>The AWS field name, e.g. <c>log-status</c>.</summary>
    public static string Name(FlowField field) => Table[(int)field].Name;

    /// <summary>The flow-log version that introduced the field (2–8; there is no VPC field of version 6).</summary>
    public static int Version(FlowField field) => Table[(int)field].Version;

    /// <summary>Looks up a field by its AWS name (case-sensitive, as AWS writes it).</summary>
    public static bool TryParse(string name, out FlowField field) => ByName.TryGetValue(name, out field);

    /// <summary>Looks up a field by its UTF-8 AWS name without allocating (header lines, format tokens).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Name, out FlowField field)
    {
        // 40 short names: a length filter then a byte compare beats hashing and allocates nothing.
        for (var i = 0; i < Utf8Names.Length; i++)
        {
            if (utf8Name.Length == Utf8Names[i].Length && utf8Name.SequenceEqual(Utf8Names[i]))
            {
                field = (FlowField)i;
                return true;
            }
        }
        field = default;
        return false;
    }

    /// <summary>The AWS field name as UTF-8 bytes.</summary>
    internal static ReadOnlySpan<byte> Utf8Name(FlowField field) => Utf8Names[(int)field];
}
