using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace FlowMesh.Server.Cluster;

/// <summary>
/// Checks <see cref="FlowMeshClusterOptions"/> together with what the chosen provider needs from
/// the environment; every message names the setting to change and how.
/// </summary>
public sealed class FlowMeshClusterOptionsValidator(IConfiguration configuration, ServerRoles roles) : IValidateOptions<FlowMeshClusterOptions>
{
    /// <summary>Downward-API variables the Kubernetes hosting integration reads on a silo.</summary>
    public static readonly IReadOnlyList<(string Variable, string FieldPath)> KubernetesPodVariables =
    [
        ("POD_NAME", "metadata.name"),
        ("POD_NAMESPACE", "metadata.namespace"),
        ("POD_IP", "status.podIP"),
    ];

    /// <summary>Variables through which Kubernetes hosting overrides the cluster and service id.</summary>
    public const string OrleansClusterIdVariable = "ORLEANS_CLUSTER_ID";

    /// <inheritdoc cref="OrleansClusterIdVariable"/>
    public const string OrleansServiceIdVariable = "ORLEANS_SERVICE_ID";

    /// <summary>Set by the kubelet in every pod; the in-cluster client configuration needs it.</summary>
    public const string KubernetesServiceHostVariable = "KUBERNETES_SERVICE_HOST";

    private const string Section = FlowMeshClusterOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, FlowMeshClusterOptions options)
    {
        var failures = Failures(options, configuration, roles);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem with the options for a process hosting <paramref name="roles"/>; empty when valid.</summary>
    public static IReadOnlyList<string> Failures(FlowMeshClusterOptions options, IConfiguration configuration, ServerRoles roles)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var failures = new List<string>();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            failures.AddRange(results.Select(r => $"{Section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));

        if (!Enum.TryParse<ClusterProvider>(options.Provider, ignoreCase: true, out var provider)
            || !Enum.IsDefined(provider) || int.TryParse(options.Provider, out _))
        {
            failures.Add($"{Section}:Provider '{options.Provider}' is not supported; use Localhost (one process), Redis or Kubernetes.");
            return failures;
        }
        if (options.GatewayConnectTimeout <= TimeSpan.Zero)
            failures.Add($"{Section}:GatewayConnectTimeout must be positive (e.g. 00:02:00).");
        if (provider == ClusterProvider.Localhost)
            return failures;

        if (string.IsNullOrWhiteSpace(options.RedisConnectionString))
        {
            failures.Add($"{Section}:Provider is {provider} but {Section}:RedisConnectionString is empty; set it " +
                $"(environment {FlowMeshClusterOptions.RedisConnectionStringVariable}, from a Kubernetes Secret), e.g. redis:6379,password=….");
        }
        if (options.AdvertisedIPAddress is { Length: > 0 } advertised && !IPAddress.TryParse(advertised, out _))
            failures.Add($"{Section}:AdvertisedIPAddress '{advertised}' is not an IP address; use the address other silos reach this one on, e.g. 10.0.1.7.");
        if (provider == ClusterProvider.Kubernetes && roles.HasFlag(ServerRoles.Silo))
            failures.AddRange(KubernetesFailures(options, configuration));
        return failures;
    }

    private static IEnumerable<string> KubernetesFailures(FlowMeshClusterOptions options, IConfiguration configuration)
    {
        // The hosting integration talks to the API server with the pod's service account (in-cluster configuration).
        if (string.IsNullOrWhiteSpace(configuration[KubernetesServiceHostVariable]))
        {
            yield return $"{Section}:Provider is Kubernetes but this process is not in a Kubernetes pod ({KubernetesServiceHostVariable} is not set); " +
                "use Provider Redis outside Kubernetes.";
        }
        foreach (var (variable, fieldPath) in KubernetesPodVariables)
        {
            if (string.IsNullOrWhiteSpace(configuration[variable]))
            {
                yield return $"{Section}:Provider is Kubernetes but {variable} is not set; set it from the downward API " +
                    $"(env {variable} valueFrom.fieldRef.fieldPath {fieldPath}), or use Provider Redis outside Kubernetes.";
            }
        }
        if (configuration[OrleansClusterIdVariable] is { Length: > 0 } clusterId && clusterId != options.ClusterId)
        {
            yield return $"{OrleansClusterIdVariable} '{clusterId}' differs from {Section}:ClusterId '{options.ClusterId}'; " +
                "silos and clients must agree: set both from the same value (the pod label orleans/clusterId).";
        }
        if (configuration[OrleansServiceIdVariable] is { Length: > 0 } serviceId && serviceId != options.ServiceId)
        {
            yield return $"{OrleansServiceIdVariable} '{serviceId}' differs from {Section}:ServiceId '{options.ServiceId}'; " +
                "silos and clients must agree: set both from the same value (the pod label orleans/serviceId).";
        }
    }
}
