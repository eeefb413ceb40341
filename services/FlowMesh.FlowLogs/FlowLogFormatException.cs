namespace FlowMesh.FlowLogs;

/// <summary>A flow-log format string (<c>${field} ${field} …</c>) that cannot be used; the message says what and where.</summary>
public sealed class FlowLogFormatException : FormatException
{
    public FlowLogFormatException()
    {
    }

    public FlowLogFormatException(string message)
        : base(message)
    {
    }

    public FlowLogFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
