namespace FlowMesh.Ingest.Firehose;

/// <summary>Header and attribute names of the Firehose HTTP endpoint protocol (spec §1.2).</summary>
internal static class FirehoseHeaders
{
    public const string RequestId = "X-Amz-Firehose-Request-Id";
    public const string SourceArn = "X-Amz-Firehose-Source-Arn";
    public const string AccessKey = "X-Amz-Firehose-Access-Key";
    public const string CommonAttributes = "X-Amz-Firehose-Common-Attributes";
    public const string ProtocolVersion = "X-Amz-Firehose-Protocol-Version";

    /// <summary>Common attribute that selects the flow-log format of a delivery stream.</summary>
    public const string LogFormatAttribute = "flowmesh-log-format";

    /// <summary>Firehose sends at most 4096 bytes of access key (spec §1.2).</summary>
    public const int MaxAccessKeyBytes = 4096;
}
