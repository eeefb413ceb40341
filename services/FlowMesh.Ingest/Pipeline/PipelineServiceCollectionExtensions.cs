using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FlowMesh.Ingest.Pipeline;

/// <summary>Registers the group-commit delivery pipeline (needs an Orleans silo or client in the container).</summary>
public static class PipelineServiceCollectionExtensions
{
    public static IServiceCollection AddDeliveryPipeline(this IServiceCollection services)
    {
        services.AddOptions<GroupCommitOptions>()
            .BindConfiguration(GroupCommitOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.FlushInterval > TimeSpan.Zero && o.FlushInterval <= TimeSpan.FromSeconds(30),
                $"{GroupCommitOptions.SectionName}:FlushInterval must be between 1 ms and 30 s (Firehose waits at most 3 minutes for a response).")
            .ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GroupCommitStatistics>();
        // No rules unless the host registered them (AddFlowMeshAlertRules) before this.
        services.TryAddSingleton(FlowMesh.Alerts.Rules.AlertRuleSet.Empty);
        services.TryAddSingleton<GroupCommitter>();
        services.TryAddSingleton<IDeliveryPipeline>(sp => sp.GetRequiredService<GroupCommitter>());
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitter>());
        return services;
    }
}
