namespace FlowMesh.Aggregation;

/// <summary>What <see cref="RollingMinutes{TBucket}.TryGetBucket"/> did with a record's minute.</summary>
public enum BucketResult : byte
{
    /// <summary>The minute is live: the bucket was returned (created, reused or recycled).</summary>
    Applied = 1,
    /// <summary>The minute is at or before now − retained: older than the hour kept; not applied.</summary>
    Late = 2,
    /// <summary>The minute is after now + future tolerance: a clock far ahead; not applied.</summary>
    Future = 3,
}
