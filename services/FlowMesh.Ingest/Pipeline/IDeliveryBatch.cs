using FlowMesh.FlowLogs;

namespace FlowMesh.Ingest.Pipeline;

/// <summary>The records of one Firehose request, combined per key as they are decoded.</summary>
public interface IDeliveryBatch : IFlowRecordSink, IDisposable
{
    string RequestId { get; }

    /// <summary>Well-formed records (including NODATA/SKIPDATA).</summary>
    int Records { get; }

    /// <summary>Lines or payloads that could not be decoded.</summary>
    int Malformed { get; }

    /// <summary>CloudWatch Logs CONTROL_MESSAGE envelopes seen (dropped).</summary>
    int ControlMessages { get; }
}
