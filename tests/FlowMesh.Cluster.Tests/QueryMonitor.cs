using System.Diagnostics;
using FlowMesh.Contracts.V1;

namespace FlowMesh.Cluster.Tests;

/// <summary>
/// Every 100 ms asks the query process for the all-traffic totals and for the summary of one
/// interface (taking the interfaces in turn, so grains on every silo are read), and records when
/// answers failed: the longest run of failures and when the last one ended. NotFound is an answer
/// (the service works, the interface's grain has no data: none arrived yet, or it was lost), counted apart.
/// </summary>
internal sealed class QueryMonitor : IAsyncDisposable
{
    private readonly FlowMeshQuery.FlowMeshQueryClient _query;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(TimeSpan At, bool Ok, string? Error)> _samples = [];
    private readonly Task _loop;

    private readonly IReadOnlyList<string> _interfaces;

    public QueryMonitor(FlowMeshQuery.FlowMeshQueryClient query, IReadOnlyList<string> interfaces)
    {
        _query = query;
        _interfaces = interfaces;
        _loop = Task.Run(LoopAsync);
    }

    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<(TimeSpan At, bool Ok, string? Error)> Samples
    {
        get
        {
            lock (_samples) return [.. _samples];
        }
    }

    /// <summary>Consecutive successful answers at the end of the record.</summary>
    public int TrailingSuccesses => Samples.Reverse().TakeWhile(s => s.Ok).Count();

    /// <summary>
    /// The longest time queries asked after <paramref name="since"/> kept failing: from the first
    /// failed answer of a run to the next successful one (or to now, if still failing).
    /// </summary>
    public TimeSpan LongestGap(TimeSpan since)
    {
        var longest = TimeSpan.Zero;
        TimeSpan? failingSince = null;
        foreach (var (at, ok, _) in Samples.Where(s => s.At >= since))
        {
            if (!ok) failingSince ??= at;
            else if (failingSince is { } runStart)
            {
                longest = Max(longest, at - runStart);
                failingSince = null;
            }
        }
        return failingSince is { } open ? Max(longest, Now - open) : longest;
    }

    /// <summary>From <paramref name="since"/> to the first success after the last failure; zero when nothing failed after it.</summary>
    public TimeSpan RecoveredAfter(TimeSpan since)
    {
        var samples = Samples.Where(s => s.At >= since).ToList();
        var lastFailure = samples.FindLastIndex(s => !s.Ok);
        if (lastFailure < 0) return TimeSpan.Zero;
        return lastFailure + 1 < samples.Count ? samples[lastFailure + 1].At - since : Now - since;
    }

    public int Failures => Samples.Count(s => !s.Ok);

    /// <summary>Interface summaries answered NotFound: no data for the interface (not yet, or lost).</summary>
    public int NotFound => Volatile.Read(ref _notFound);

    private int _notFound;

    /// <summary>The message without its exception details (which vary per attempt).</summary>
    private static string FirstLine(string text) => text.Split(['\n', '('], 2)[0].Trim();

    public IEnumerable<string> DistinctErrors => Samples.Where(s => !s.Ok).Select(s => s.Error!).Distinct();

    private async Task LoopAsync()
    {
        for (var next = 0; !_stop.IsCancellationRequested; next = (next + 1) % _interfaces.Count)
        {
            var at = _clock.Elapsed;
            try
            {
                await _query.GetTopContributorsAsync(new TopContributorsRequest { Window = Window.SixtyMinutes, Limit = 1 },
                    deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: _stop.Token);
                await _query.DescribeInterfaceAsync(new DescribeInterfaceRequest { InterfaceId = _interfaces[next], Window = Window.SixtyMinutes, Limit = 1 },
                    deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: _stop.Token);
                Record(at, true, null);
            }
            catch (Grpc.Core.RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.NotFound && !_stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref _notFound);
                Record(at, true, null);
            }
            catch (Grpc.Core.RpcException ex) when (!_stop.IsCancellationRequested)
            {
                Record(at, false, $"{ex.StatusCode}: {FirstLine(ex.Status.Detail)}");
            }
            catch (Grpc.Core.RpcException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            try
            {
                await Task.Delay(Poll.Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void Record(TimeSpan at, bool ok, string? error)
    {
        lock (_samples) _samples.Add((at, ok, error));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
