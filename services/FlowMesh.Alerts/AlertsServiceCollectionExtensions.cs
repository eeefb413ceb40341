using FlowMesh.Alerts.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FlowMesh.Alerts;

/// <summary>Registers the checked alert rules (<c>FlowMesh:Alerts</c>) and the alert clock; every role calls it.</summary>
public static class AlertsServiceCollectionExtensions
{
    public static IServiceCollection AddFlowMeshAlertRules(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Once per container: binding twice would append every configured rule and webhook twice.
        if (services.Any(d => d.ServiceType == typeof(AlertRulesRegistered))) return services;
        services.AddSingleton<AlertRulesRegistered>();
        services.AddOptions<AlertsOptions>().BindConfiguration(AlertsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertsOptions>, AlertsOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            // Resolved before start-up validation ran (a hosted service's constructor): same failures, same exception.
            var (set, failures) = AlertRuleSet.TryCreate(sp.GetRequiredService<IOptions<AlertsOptions>>().Value);
            return set ?? throw new OptionsValidationException(AlertsOptions.SectionName, typeof(AlertsOptions), failures);
        });
        services.TryAddSingleton(new AlertClock(TimeProvider.System));
        return services;
    }
}

internal sealed class AlertRulesRegistered;

/// <summary>Fails start-up with every problem in <c>FlowMesh:Alerts</c>, each naming its key.</summary>
internal sealed class AlertsOptionsValidator : IValidateOptions<AlertsOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertsOptions options)
    {
        var (_, failures) = AlertRuleSet.TryCreate(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
