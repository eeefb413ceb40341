using FlowMesh.Aggregation;
using FlowMesh.Alerts.Diagnostics;
using FlowMesh.Aggregation.Batching;
using FlowMesh.FlowLogs;
using FlowMesh.Grains.Durability;
using FlowMesh.Grains.Views;
using Microsoft.Extensions.Options;

namespace FlowMesh.Grains;

/// <summary>Rolling hour of one network interface: totals, reject rate, peers, ports, protocols, metadata.</summary>
[CollectionAgeLimit(Minutes = GrainLifetime.IdleMinutes)]
internal sealed class InterfaceGrain(IOptions<AggregationOptions> options, TimeProvider time, IGrainJournal? journal = null, IOptions<DurabilityOptions>? durability = null) : Grain, IInterfaceGrain
{
    private readonly ViewSet _views = new(InterfaceProjector.Dimensions, options.Value.InterfaceCapacity);
    private readonly AppliedFlushes _flushes = new(options.Value.FlushIdRetention);
    private readonly LocalAddressTracker _local = new();
    private InterfaceMetadata? _metadata;
    private bool _acceptSeen;
    private bool _rejectSeen;
    private DateTimeOffset? _firstApplied;

    private readonly CaptureFilterThresholds _captureThresholds = new(options.Value.CaptureFilterMinimumPeriod, options.Value.CaptureFilterMinimumFlows);
    private readonly IGrainJournal _journal = journal ?? NoGrainJournal.Instance;
    private readonly TimeSpan _journalRetention = durability?.Value.ViewRetention ?? JournalRetention.Views;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in await _journal.ReadAsync<AppliedDeltaEntry>(this.GetGrainId(), cancellationToken))
            Apply(entry.Delta, entry.AppliedAt);
    }

    public async Task<ApplyResult> ApplyAsync(FlowDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var now = time.GetUtcNow();
        if (_flushes.Contains(delta.FlushId, now)) return new ApplyResult(true, 0, 0, 0, Main.Version);
        // Journaled before memory changes and before the answer: acknowledged means replayable.
        await _journal.AppendAsync(this.GetGrainId(), new AppliedDeltaEntry(now.UtcTicks, delta), _journalRetention);
        return Apply(delta, now);
    }

    private ApplyResult Apply(FlowDelta delta, DateTimeOffset now)
    {
        if (!_flushes.TryAdd(delta.FlushId, delta.Sequence, now)) return new ApplyResult(true, 0, 0, 0, Main.Version);
        if (delta.Interface is { } meta) _metadata = _metadata?.Merge(meta) ?? meta;
        _firstApplied ??= now;
        foreach (var row in delta.Rows.Span)
        {
            _local.Observe(in row);
            _acceptSeen |= row.Key.Action == FlowAction.Accept;
            _rejectSeen |= row.Key.Action == FlowAction.Reject;
        }
        var (late, future) = (Main.LateFlows, Main.FutureFlows);
        var projector = new InterfaceProjector(_local);
        var applied = _views.Apply(delta.Rows.Span, now, ref projector);
        return new ApplyResult(false, applied, Main.LateFlows - late, Main.FutureFlows - future, Main.Version);
    }

    public Task<TopContributorsSnapshot> GetTopContributorsAsync(TopContributorsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Task.FromResult(_views.Top(this.GetPrimaryKeyString(), query, time.GetUtcNow()));
    }

    private RollingView Main => _views.Main;

    public Task<long> GetVersionAsync() => Task.FromResult(Main.Version);

    public Task<InterfaceSummary?> DescribeAsync(Window window, int limit)
    {
        if (_metadata is not { } meta) return Task.FromResult<InterfaceSummary?>(null);
        var now = time.GetUtcNow();
        var totals = Main.Totals(window, now);
        var capture = AssessCapture(now);
        var summary = new InterfaceSummary(
            this.GetPrimaryKeyString(), meta.AccountId, meta.VpcId, meta.SubnetId, meta.InstanceId,
            DateTimeOffset.FromUnixTimeSeconds(meta.FirstSeenUnix), DateTimeOffset.FromUnixTimeSeconds(meta.LastSeenUnix),
            window, TrafficTotals.From(in totals), _acceptSeen, _rejectSeen,
            _local.Likely(4).Select(a => a.ToString()).ToArray(),
            Main.TopBy(Dimension.PeerAddress, Metric.Bytes, window, limit, now),
            Main.TopBy(Dimension.DestinationPort, Metric.Bytes, window, limit, now),
            Main.TopBy(Dimension.Protocol, Metric.Bytes, window, limit, now),
            Main.LateFlows, Main.Version,
            capture.Assessment, capture.Advice);
        return Task.FromResult<InterfaceSummary?>(summary);
    }

    /// <summary>Judges the capture filter from the last hour of exact counts and how long this grain has been receiving data.</summary>
    private (string Assessment, string? Advice) AssessCapture(DateTimeOffset now)
    {
        var hour = Main.Totals(Window.SixtyMinutes, now);
        var observed = _firstApplied is { } first ? TimeSpan.FromTicks(Math.Min((now - first).Ticks, TimeSpan.FromMinutes(60).Ticks)) : TimeSpan.Zero;
        var assessment = CaptureFilterDetector.Assess(hour.AcceptedFlows, hour.RejectedFlows, observed, _captureThresholds);
        return (assessment switch
        {
            CaptureAssessment.Both => "both",
            CaptureAssessment.ProbablyAcceptOnly => "probably_accept_only",
            CaptureAssessment.ProbablyRejectOnly => "probably_reject_only",
            _ => "undetermined",
        }, CaptureFilterDetector.Advice(assessment));
    }
}
