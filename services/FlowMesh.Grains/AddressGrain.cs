using FlowMesh.Aggregation;
using FlowMesh.FlowLogs;
using FlowMesh.Grains.Durability;
using FlowMesh.Grains.Views;
using Microsoft.Extensions.Options;

namespace FlowMesh.Grains;

/// <summary>Rolling hour of one IP address, kept separately as source and as destination.</summary>
[CollectionAgeLimit(Minutes = GrainLifetime.IdleMinutes)]
internal sealed class AddressGrain(IOptions<AggregationOptions> options, TimeProvider time, IGrainJournal? journal = null, IOptions<DurabilityOptions>? durability = null) : Grain, IAddressGrain
{
    private readonly ViewSet _asSource = new(AddressProjector.Dimensions, options.Value.AddressCapacity);
    private readonly ViewSet _asDestination = new(AddressProjector.Dimensions, options.Value.AddressCapacity);
    private readonly AppliedFlushes _flushes = new(options.Value.FlushIdRetention);
    private readonly ConnectionTable _connections = new(options.Value.ConnectionRecordsPerAddress);
    private FlowAddress _address;
    private long _firstSeen = long.MaxValue;
    private long _lastSeen = long.MinValue;

    private long Version => _asSource.Main.Version + _asDestination.Main.Version;

    private readonly IGrainJournal _journal = journal ?? NoGrainJournal.Instance;
    private readonly TimeSpan _journalRetention = durability?.Value.ViewRetention ?? JournalRetention.Views;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The key is canonical (GrainKeys.Address); a key that does not parse matches no row.
        _address = FlowAddress.TryParse(this.GetPrimaryKeyString(), out var address) ? address : default;
        foreach (var entry in await _journal.ReadAsync<AppliedDeltaEntry>(this.GetGrainId(), cancellationToken))
            Apply(entry.Delta, entry.AppliedAt);
    }

    public async Task<ApplyResult> ApplyAsync(FlowDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var now = time.GetUtcNow();
        if (_flushes.Contains(delta.FlushId, now)) return new ApplyResult(true, 0, 0, 0, Version);
        // Journaled before memory changes and before the answer: acknowledged means replayable.
        await _journal.AppendAsync(this.GetGrainId(), new AppliedDeltaEntry(now.UtcTicks, delta), _journalRetention);
        return Apply(delta, now);
    }

    private ApplyResult Apply(FlowDelta delta, DateTimeOffset now)
    {
        if (!_flushes.TryAdd(delta.FlushId, delta.Sequence, now)) return new ApplyResult(true, 0, 0, 0, Version);
        var late = LateFlows;
        var future = _asSource.Main.FutureFlows + _asDestination.Main.FutureFlows;
        var asSource = new AddressProjector(_address, asSource: true);
        var asDestination = new AddressProjector(_address, asSource: false);
        var applied = _asSource.Apply(delta.Rows.Span, now, ref asSource) + _asDestination.Apply(delta.Rows.Span, now, ref asDestination);
        var nowMinute = EventMinute.FromTime(now);
        foreach (var row in delta.Rows.Span)
        {
            _connections.Add(in row, nowMinute);
            _firstSeen = Math.Min(_firstSeen, row.Key.Minute * 60);
            _lastSeen = Math.Max(_lastSeen, (row.Key.Minute * 60) + 59);
        }
        return new ApplyResult(
            false, applied, LateFlows - late,
            _asSource.Main.FutureFlows + _asDestination.Main.FutureFlows - future, Version);
    }

    /// <summary>Ranks over both roles: a source dimension reads the as-source view, a destination one the other, the rest merge both.</summary>
    public Task<TopContributorsSnapshot> GetTopContributorsAsync(TopContributorsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = time.GetUtcNow();
        var key = this.GetPrimaryKeyString();
        if (query.Dimension == Dimension.DestinationAddress)
        {
            // The destinations this address sent to are its peers as a source, and vice versa.
            return Task.FromResult(_asSource.Top(key, query with { Dimension = Dimension.PeerAddress }, now) with { Query = query, Version = Version });
        }
        if (query.Dimension == Dimension.SourceAddress)
            return Task.FromResult(_asDestination.Top(key, query with { Dimension = Dimension.PeerAddress }, now) with { Query = query, Version = Version });
        var (source, coverage) = _asSource.For(query.Filter, now);
        var (destination, _) = _asDestination.For(query.Filter, now);
        return Task.FromResult(RollingView.Snapshot(
            key, query, source.InWindow(query.Window, now).Concat(destination.InWindow(query.Window, now)),
            source.Capacity, Version, Max(_asSource.Main.LastUpdated, _asDestination.Main.LastUpdated), now) with { CoverageStartUnix = coverage });
    }

    public Task<long> GetVersionAsync() => Task.FromResult(Version);

    private long LateFlows => _asSource.Main.LateFlows + _asDestination.Main.LateFlows;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    public Task<AddressSummary?> DescribeAsync(Window window, int limit)
    {
        if (_firstSeen == long.MaxValue) return Task.FromResult<AddressSummary?>(null);
        var now = time.GetUtcNow();
        var summary = new AddressSummary(
            this.GetPrimaryKeyString(),
            DateTimeOffset.FromUnixTimeSeconds(_firstSeen), DateTimeOffset.FromUnixTimeSeconds(_lastSeen), window,
            Role(_asSource.Main, window, limit, now), Role(_asDestination.Main, window, limit, now),
            LateFlows, Version);
        return Task.FromResult<AddressSummary?>(summary);
    }

    public Task<ConnectionRecords> GetConnectionRecordsAsync(FlowAddress peer)
    {
        var now = time.GetUtcNow();
        var seen = _asSource.Main.Totals(Window.SixtyMinutes, now).Flows + _asDestination.Main.Totals(Window.SixtyMinutes, now).Flows > 0;
        return Task.FromResult(new ConnectionRecords(seen, _connections.Evicted, _connections.Between(_address, peer, EventMinute.FromTime(now))));
    }

    private static AddressRoleSummary Role(RollingView view, Window window, int limit, DateTimeOffset now)
    {
        var totals = view.Totals(window, now);
        return new AddressRoleSummary(
            TrafficTotals.From(in totals),
            view.TopBy(Dimension.PeerAddress, Metric.Bytes, window, limit, now),
            view.TopBy(Dimension.DestinationPort, Metric.Bytes, window, limit, now),
            view.TopBy(Dimension.Interface, Metric.Bytes, window, limit, now));
    }
}
