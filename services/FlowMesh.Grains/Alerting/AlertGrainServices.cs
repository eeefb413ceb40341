using FlowMesh.Alerts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FlowMesh.Grains.Alerting;

/// <summary>The silo side of alerting: rule and log grains' services, the period ticker and the webhook notifier.</summary>
public static class AlertGrainServices
{
    public static IServiceCollection AddFlowMeshAlertGrains(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddFlowMeshAlertRules();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AlertWebhookNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertWebhookNotifier>());
        services.AddHostedService<AlertEvaluationTicker>();
        return services;
    }
}
