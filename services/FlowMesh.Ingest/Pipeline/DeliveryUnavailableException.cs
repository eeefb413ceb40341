namespace FlowMesh.Ingest.Pipeline;

/// <summary>The cluster could not apply a delivery now (overload, grain failure); Firehose should retry.</summary>
public sealed class DeliveryUnavailableException : Exception
{
    public DeliveryUnavailableException() : this("The aggregation cluster is unavailable; retry later.") { }

    public DeliveryUnavailableException(string message) : base(message) { }

    public DeliveryUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
