using Microsoft.Extensions.Options;

namespace FlowMesh.Ingest.Firehose;

/// <summary>
/// Bounds how many request bodies are decoded at once (<see cref="IngestOptions.MaxConcurrentDecodes"/>).
/// </summary>
/// <remarks>
/// Decoding a body (JSON walk, base64, inflating CloudWatch Logs records, parsing and combining every
/// line) is ~10 ms of CPU for a 1 MiB gzip'd request of ~7,000 records. The endpoint walks it in steps
/// and yields between them, but each decode running at once still adds its steps to the thread
/// pool's queue, ahead of short work (a gRPC query, a grain turn, a stream update). On 2 cores with 8
/// concurrent deliveries and no bound, 1 % of unary queries took 39–47 ms although the server spent
/// under 10 ms on 99.8 % of them; with one slot, 8.7–17 ms. A request waits here asynchronously,
/// holding its already-read body and no thread, and gives up when the caller leaves.
/// </remarks>
public sealed class DecodeSlots : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly IngestMetrics _metrics;
    private int _waiting;

    public DecodeSlots(IOptions<IngestOptions> options, IngestMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        Limit = options.Value.EffectiveMaxConcurrentDecodes;
        _slots = new SemaphoreSlim(Limit, Limit);
        _metrics = metrics;
    }

    /// <summary>Bodies decoded at once at most.</summary>
    public int Limit { get; }

    /// <summary>Requests waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Waits for a slot; dispose the lease when the decode is over.</summary>
    /// <exception cref="OperationCanceledException">The caller stopped waiting.</exception>
    public async ValueTask<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None)) return new Lease(this);
        Interlocked.Increment(ref _waiting);
        _metrics.DecodeWaiting(+1);
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
            _metrics.DecodeWaiting(-1);
        }
        return new Lease(this);
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>One held slot; disposing it lets the next request decode.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly DecodeSlots? _owner;

        internal Lease(DecodeSlots owner) => _owner = owner;

        public void Dispose() => _owner?._slots.Release();
    }
}
