using FlowMesh.Alerts;
using FlowMesh.Alerts.Rules;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlowMesh.Grains.Alerting;

/// <summary>
/// Closes elapsed periods: every <see cref="AlertsOptions.EvaluationInterval"/> on the alert clock it
/// ticks each rule grain once (rules, not keys: a handful of calls a second). Every silo runs one;
/// ticks are idempotent, so more silos only tick sooner. Without it a rule whose traffic stopped
/// would never see the empty periods that return it to OK.
/// </summary>
internal sealed partial class AlertEvaluationTicker(
    IGrainFactory grains, AlertRuleSet rules, AlertClock clock, ILogger<AlertEvaluationTicker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (rules.Rules.Count == 0) return;
        using var timer = new PeriodicTimer(rules.Options.EvaluationInterval, clock.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await Task.WhenAll(rules.Rules.Select(rule => TickAsync(rule.Name)));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task TickAsync(string rule)
    {
        try
        {
            await grains.GetGrain<IAlertRuleGrain>(GrainKeys.AlertRule(rule)).TickAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next tick retries; a silo that is starting or stopping fails a few.
            LogTickFailed(logger, ex, rule);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert rule {Rule} could not be ticked; retrying at the next interval.")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, string rule);
}
