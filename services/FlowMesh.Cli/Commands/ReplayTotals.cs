using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlowMesh.Cli.Commands;

/// <summary>One batch that still failed after its retries.</summary>
internal sealed record ReplayFailure(
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("records")] int Records,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("error")] string Error);

/// <summary>What a replay did: the counters are updated by concurrent senders, read when it ends (and by the progress display).</summary>
internal sealed class ReplayTotals
{
    /// <summary>Failures kept for the report; the count is always exact.</summary>
    public const int MaxFailuresKept = 20;

    // Error messages are shown as written (no \u0027 for an apostrophe); the output is not embedded in HTML.
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _failuresLock = new();
    private readonly List<ReplayFailure> _failures = [];
    private long _recordsSent;
    private long _batchesSent;
    private long _bytesSent;
    private long _retries;
    private long _failedBatches;
    private long _failedRecords;
    private long _inputBytesDone;

    public long RecordsSent => Interlocked.Read(ref _recordsSent);
    public long BatchesSent => Interlocked.Read(ref _batchesSent);
    public long BytesSent => Interlocked.Read(ref _bytesSent);
    public long Retries => Interlocked.Read(ref _retries);
    public long FailedBatches => Interlocked.Read(ref _failedBatches);
    public long FailedRecords => Interlocked.Read(ref _failedRecords);

    /// <summary>Input file bytes whose lines have been delivered or given up on (for the progress bar).</summary>
    public long InputBytesDone => Interlocked.Read(ref _inputBytesDone);

    public IReadOnlyList<ReplayFailure> Failures
    {
        get
        {
            lock (_failuresLock) return [.. _failures];
        }
    }

    public void Delivered(int records, int bodyBytes, int retries, long inputBytes)
    {
        Interlocked.Add(ref _recordsSent, records);
        Interlocked.Increment(ref _batchesSent);
        Interlocked.Add(ref _bytesSent, bodyBytes);
        Interlocked.Add(ref _retries, retries);
        Interlocked.Add(ref _inputBytesDone, inputBytes);
    }

    public void Failed(ReplayFailure failure, int retries, long inputBytes)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Interlocked.Increment(ref _failedBatches);
        Interlocked.Add(ref _failedRecords, failure.Records);
        Interlocked.Add(ref _retries, retries);
        Interlocked.Add(ref _inputBytesDone, inputBytes);
        lock (_failuresLock)
        {
            if (_failures.Count < MaxFailuresKept) _failures.Add(failure);
        }
    }

    /// <summary>The one JSON object <c>--json</c> prints (snake_case, numbers as numbers).</summary>
    public string ToJson(string endpoint, int files, TimeSpan elapsed)
    {
        var summary = new Dictionary<string, object>
        {
            ["endpoint"] = endpoint,
            ["files"] = files,
            ["records_sent"] = RecordsSent,
            ["batches_sent"] = BatchesSent,
            ["bytes_sent"] = BytesSent,
            ["retries"] = Retries,
            ["failed_batches"] = FailedBatches,
            ["failed_records"] = FailedRecords,
            ["elapsed_seconds"] = Math.Round(elapsed.TotalSeconds, 3),
            ["records_per_second"] = Math.Round(RecordsPerSecond(elapsed), 1),
            ["failures"] = Failures,
        };
        return JsonSerializer.Serialize(summary, JsonOptions);
    }

    public double RecordsPerSecond(TimeSpan elapsed) => elapsed > TimeSpan.Zero ? RecordsSent / elapsed.TotalSeconds : 0;
}
