namespace FlowMesh.Ingest.Pipeline;

/// <summary>
/// What the Firehose endpoint hands each request to: records are decoded straight into a batch
/// (which combines them per key), then the batch is committed by the group commit. A request is
/// answered 200 only when <see cref="CommitAsync"/> has returned, i.e. every view reflects it.
/// </summary>
public interface IDeliveryPipeline
{
    /// <summary>True when a delivery with this Firehose request id was already applied (cluster-wide).</summary>
    ValueTask<bool> WasAppliedAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>
    /// Says that a delivery has arrived and may join a flush soon (its body is still being read or
    /// checked against the ledger): a flush that would close early because nobody else is decoding
    /// waits for it, never longer than the flush interval. Dispose it once the delivery's batch
    /// exists (the batch then counts itself) or the delivery ends without one; disposing twice is harmless.
    /// </summary>
    IDisposable AnnounceDelivery();

    /// <summary>A new, empty batch for one request; the endpoint decodes records into it and disposes it.</summary>
    IDeliveryBatch CreateBatch(string requestId, string? sourceArn);

    /// <summary>
    /// Applies the batch to every view. Returns <see cref="DeliveryOutcome.Duplicate"/> when the
    /// request id had already been applied (nothing is counted twice). Throws
    /// <see cref="DeliveryUnavailableException"/> when the cluster could not apply it: the caller
    /// answers 503 so Firehose retries with the same request id.
    /// </summary>
    ValueTask<DeliveryOutcome> CommitAsync(IDeliveryBatch batch, CancellationToken cancellationToken);
}

/// <summary>How a committed delivery ended.</summary>
public enum DeliveryOutcome
{
    Applied = 1,
    Duplicate = 2,
}
