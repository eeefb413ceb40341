using System.Collections.Concurrent;
using FlowMesh.FlowLogs;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;

namespace FlowMesh.Ingest.Firehose;

/// <summary>
/// Decoders are not thread-safe and keep warm state (interned ids, scratch buffers), so each
/// format has an object pool of them: a request rents one, decodes its records, returns it.
/// </summary>
internal sealed class PayloadDecoderPool(IOptions<IngestOptions> options)
{
    // Formats can come from a request header: beyond this many, decoders are made per request.
    private const int MaxPools = 128;

    private readonly int _maxInflatedBytes = (int)Math.Min(options.Value.MaxInflatedBodyBytes, Array.MaxLength);
    private readonly ConcurrentDictionary<FlowLogFormat, ObjectPool<FlowPayloadDecoder>> _pools = new();
    private readonly DefaultObjectPoolProvider _provider = new();

    public FlowPayloadDecoder Rent(FlowLogFormat format) =>
        PoolFor(format) is { } pool ? pool.Get() : new FlowPayloadDecoder(format, _maxInflatedBytes);

    public void Return(FlowLogFormat format, FlowPayloadDecoder decoder) => PoolFor(format)?.Return(decoder);

    private ObjectPool<FlowPayloadDecoder>? PoolFor(FlowLogFormat format) =>
        _pools.TryGetValue(format, out var pool) ? pool
        : _pools.Count >= MaxPools ? null
        : _pools.GetOrAdd(format, static (key, state) => state.Provider.Create(new DecoderPolicy(key, state.MaxInflated)),
            (Provider: _provider, MaxInflated: _maxInflatedBytes));

    private sealed class DecoderPolicy(FlowLogFormat format, int maxInflatedBytes) : PooledObjectPolicy<FlowPayloadDecoder>
    {
        public override FlowPayloadDecoder Create() => new(format, maxInflatedBytes);

        public override bool Return(FlowPayloadDecoder obj) => true;
    }
}
