namespace FlowMesh.Grains;

/// <summary>
/// Keeps the latest report of every ingest process; counts are cumulative per process, so the
/// cluster total is their sum. A process silent for a day (stopped, replaced) is dropped.
/// </summary>
internal sealed class IngestErrorsGrain(TimeProvider time) : Grain, IIngestErrorsGrain
{
    private static readonly TimeSpan Silence = TimeSpan.FromDays(1);
    private readonly Dictionary<string, IngestErrorReport> _reports = new(StringComparer.Ordinal);

    public Task ReportAsync(IngestErrorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _reports[report.ProcessId] = report;
        var cutoff = time.GetUtcNow() - Silence;
        foreach (var stale in _reports.Where(p => p.Value.ReportedAt < cutoff).Select(p => p.Key).ToList()) _reports.Remove(stale);
        return Task.CompletedTask;
    }

    public Task<IngestErrorSummary> GetSummaryAsync(int limit)
    {
        var counts = _reports.Values
            .SelectMany(r => r.Counts)
            .GroupBy(c => (c.Source, c.Reason))
            .Select(g => new IngestErrorCount(g.Key.Source, g.Key.Reason, g.Sum(c => c.Count)))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Source, StringComparer.Ordinal).ThenBy(c => c.Reason, StringComparer.Ordinal)
            .ToArray();
        var latest = _reports.Values
            .SelectMany(r => r.Examples)
            .OrderByDescending(e => e.ReceivedAt)
            .Take(Math.Clamp(limit, 0, 1000))
            .ToArray();
        return Task.FromResult(new IngestErrorSummary(counts.Sum(c => c.Count), counts, latest, _reports.Count));
    }
}
