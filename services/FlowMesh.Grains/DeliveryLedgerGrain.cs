using FlowMesh.Grains.Durability;
using Microsoft.Extensions.Options;

namespace FlowMesh.Grains;

/// <summary>
/// One partition of the cluster-wide memory of applied Firehose request ids, so a retry that
/// reaches any ingest process is answered 200 without being applied again. Ids are kept for
/// <see cref="AggregationOptions.DeliveryIdRetention"/> (covers Firehose's 7,200 s retry limit).
/// </summary>
internal sealed class DeliveryLedgerGrain(IOptions<AggregationOptions> options, TimeProvider time, IGrainJournal? journal = null) : Grain, IDeliveryLedgerGrain
{
    private readonly IGrainJournal _journal = journal ?? NoGrainJournal.Instance;
    private readonly Dictionary<string, long> _applied = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, long ExpiresAt)> _expiry = new();

    public Task<bool> IsAppliedAsync(string requestId)
    {
        var now = time.GetUtcNow().UtcTicks;
        return Task.FromResult(_applied.TryGetValue(requestId, out var expires) && expires > now);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in await _journal.ReadAsync<LedgerEntry>(this.GetGrainId(), cancellationToken))
            Mark(entry.RequestIds, entry.MarkedAtUtcTicks);
    }

    public async Task MarkAppliedAsync(IReadOnlyList<string> requestIds)
    {
        ArgumentNullException.ThrowIfNull(requestIds);
        var now = time.GetUtcNow().UtcTicks;
        string[] ids = [.. requestIds];
        await _journal.AppendAsync(this.GetGrainId(), new LedgerEntry(now, ids), options.Value.DeliveryIdRetention);
        Mark(ids, now);
    }

    private void Mark(string[] requestIds, long now)
    {
        while (_expiry.TryPeek(out var head) && head.ExpiresAt <= now)
        {
            _expiry.Dequeue();
            if (_applied.TryGetValue(head.Id, out var current) && current == head.ExpiresAt) _applied.Remove(head.Id);
        }
        var expiresAt = now + options.Value.DeliveryIdRetention.Ticks;
        foreach (var id in requestIds)
        {
            _applied[id] = expiresAt;
            _expiry.Enqueue((id, expiresAt));
        }
    }
}
