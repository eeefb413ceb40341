namespace FlowMesh.Ingest.Firehose;

/// <summary>A request the endpoint refuses with a 4xx status and a message for the stream's owner.</summary>
internal sealed class FirehoseRejection : Exception
{
    public FirehoseRejection(int statusCode, string message) : base(message) => StatusCode = statusCode;

    public FirehoseRejection() : this(400, "The request is not a valid Firehose delivery.") { }

    public FirehoseRejection(string message) : this(400, message) { }

    public FirehoseRejection(string message, Exception innerException) : base(message, innerException) => StatusCode = 400;

    public int StatusCode { get; }
}
