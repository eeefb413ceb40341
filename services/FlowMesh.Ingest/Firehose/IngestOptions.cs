namespace FlowMesh.Ingest.Firehose;

/// <summary>Settings of the Firehose HTTP endpoint (configuration section <c>FlowMesh:Ingest</c>).</summary>
public sealed class IngestOptions
{
    public const string SectionName = "FlowMesh:Ingest";

    /// <summary>Default route of the endpoint.</summary>
    public const string DefaultPath = "/v1/firehose";

    /// <summary>Default HTTP port of the ingest role.</summary>
    public const int DefaultPort = 8080;

    /// <summary>Largest request body Firehose sends: 64 MiB before compression (spec §1.3).</summary>
    public const long DefaultMaxRequestBodyBytes = 64L * 1024 * 1024;

    /// <summary>64 MiB plus headroom for the JSON envelope and base64 overhead of gzip'd CloudWatch Logs records.</summary>
    public const long DefaultMaxInflatedBodyBytes = 80L * 1024 * 1024;

    /// <summary>
    /// The key Firehose sends in <c>X-Amz-Firehose-Access-Key</c>. Required unless
    /// <see cref="AllowInsecureNoAccessKey"/> is set. Environment: <c>FlowMesh__Ingest__AccessKey</c>.
    /// </summary>
    public string? AccessKey { get; set; }

    /// <summary>Further accepted keys, so a key can be rotated without refusing deliveries (old and new both valid).</summary>
    public IList<string> AccessKeys { get; } = [];

    /// <summary>Development only: accept deliveries without any access key. Logs a warning at start.</summary>
    public bool AllowInsecureNoAccessKey { get; set; }

    /// <summary>Route of the endpoint; Firehose posts to the URL exactly as configured.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>
    /// Port the endpoint is served on (HTTP/1.1 and HTTP/2; TLS is terminated in front). The
    /// endpoint answers only on this port; 0 means "whatever port the host listens on" (tests).
    /// </summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Limit of the body as received (before gzip inflation); larger requests get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>Decompression-bomb guard: limit of the inflated body and of any gzip'd record; beyond it, 413.</summary>
    public long MaxInflatedBodyBytes { get; set; } = DefaultMaxInflatedBodyBytes;

    /// <summary>
    /// Custom flow-log formats (<c>${field} ...</c>) per delivery stream, keyed by the
    /// <c>X-Amz-Firehose-Source-Arn</c> value or by the stream name (the part after
    /// <c>deliverystream/</c>). Configuration keys cannot hold the ARN's colons (':' separates
    /// sections), so configuration files and environment variables use the stream name.
    /// </summary>
    public IDictionary<string, string> LogFormats { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How many recent malformed records are kept for inspection.</summary>
    public int MalformedExamplesKept { get; set; } = 100;

    /// <summary>How often this process reports malformed-record counts and examples to the cluster (for the query API).</summary>
    public TimeSpan MalformedReportInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a delivery may wait for the cluster to apply it before it is answered 503 (Firehose waits 3 minutes).</summary>
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Request bodies decoded at once; further requests wait (without a thread) until one is done.
    /// 0, the default, means half the processors, at least one. Decoding one body is ~10 ms of CPU
    /// work, so letting every concurrent delivery decode at once fills the thread pool and makes
    /// queries and grain turns wait behind it (see <see cref="DecodeSlots"/>).
    /// </summary>
    public int MaxConcurrentDecodes { get; set; }

    /// <summary><see cref="MaxConcurrentDecodes"/> with 0 resolved: half of <see cref="Environment.ProcessorCount"/>, at least 1.</summary>
    public int EffectiveMaxConcurrentDecodes =>
        MaxConcurrentDecodes > 0 ? MaxConcurrentDecodes : Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Every configured access key (AccessKey and AccessKeys), without blanks.</summary>
    public IEnumerable<string> ConfiguredAccessKeys() =>
        AccessKeys.Prepend(AccessKey ?? string.Empty).Where(key => !string.IsNullOrEmpty(key));
}
