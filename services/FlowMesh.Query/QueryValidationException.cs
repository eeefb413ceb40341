namespace FlowMesh.Query;

/// <summary>A request field that is out of range; the message names the field (e.g. "limit: 500 is outside 1..100").</summary>
public sealed class QueryValidationException : Exception
{
    public QueryValidationException()
    {
    }

    public QueryValidationException(string message) : base(message)
    {
    }

    public QueryValidationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
