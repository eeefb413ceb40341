using System.Text.RegularExpressions;
using FlowMesh.Ingest;
using FlowMesh.Ingest.Firehose;
using FlowMesh.Query;
using FlowMesh.Server.Cluster;
using FlowMesh.Server.Hosting;
using FlowMesh.ServiceDefaults;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FlowMesh.Deploy.Tests;

/// <summary>The manifests agree with the application: ports, probes, roles and settings come from the server's own code.</summary>
public sealed partial class ApplicationConsistencyTests
{
    private static readonly int HttpPort = IngestOptions.DefaultPort;
    private static readonly int QueryPort = new QueryOptions().Port;

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void Roles_EveryDeployment_ParsesToOneRoleAndTogetherCoverAll(string overlay)
    {
        var roles = RoleContainers.Of(Manifests.Load(overlay)).ToList();

        Assert.Equal(3, roles.Count);
        foreach (var (deployment, _, role) in roles)
            Assert.True(role is ServerRoles.Silo or ServerRoles.Ingest or ServerRoles.Query, $"{deployment.Metadata.Name} hosts {role}; expected exactly one role");
        Assert.Equal(ServerRoles.All, roles.Aggregate(ServerRoles.None, (all, r) => all | r.Roles));
        Assert.Equal(roles.Count, roles.Select(r => r.Roles).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void ContainerPorts_EveryRole_EqualTheServersDefaults(string overlay)
    {
        Assert.Equal(ServerListenSettings.DefaultQueryPort, QueryPort);
        foreach (var (deployment, container, roles) in RoleContainers.Of(Manifests.Load(overlay)))
        {
            var expected = new SortedSet<int> { HttpPort };
            if (roles.HasFlag(ServerRoles.Silo))
            {
                expected.Add(FlowMeshClusterOptions.DefaultSiloPort);
                expected.Add(FlowMeshClusterOptions.DefaultGatewayPort);
            }
            if (roles.HasFlag(ServerRoles.Query))
                expected.Add(QueryPort);

            Assert.True(expected.SetEquals(container.Ports.Select(p => p.ContainerPort)),
                $"{overlay} {deployment.Metadata.Name}: ports [{string.Join(", ", container.Ports.Select(p => p.ContainerPort))}], expected [{string.Join(", ", expected)}]");
        }
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void Probes_EveryContainer_UseTheServiceDefaultsPathsOnTheHttpPort(string overlay)
    {
        foreach (var (deployment, container, _) in RoleContainers.Of(Manifests.Load(overlay)))
        {
            var name = $"{overlay} {deployment.Metadata.Name}";
            AssertProbe(name, container, container.LivenessProbe, HealthEndpoints.LivePath);
            AssertProbe(name, container, container.ReadinessProbe, HealthEndpoints.ReadyPath);
            AssertProbe(name, container, container.StartupProbe, HealthEndpoints.LivePath);
        }
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void Settings_EveryContainer_PassTheServersOwnValidation(string overlay)
    {
        var manifests = Manifests.Load(overlay);
        foreach (var (deployment, container, roles) in RoleContainers.Of(manifests))
        {
            var name = $"{overlay} {deployment.Metadata.Name}";
            var configuration = PodConfiguration(manifests, deployment, container);

            var cluster = configuration.GetSection(FlowMeshClusterOptions.SectionName).Get<FlowMeshClusterOptions>() ?? new();
            Assert.Empty(FlowMeshClusterOptionsValidator.Failures(cluster, configuration, roles));
            Assert.True(cluster.ParsedProvider is ClusterProvider.Kubernetes or ClusterProvider.Redis, $"{name}: provider {cluster.Provider}");
            Assert.Equal(FlowMeshClusterOptions.DefaultSiloPort, cluster.SiloPort);
            Assert.Equal(FlowMeshClusterOptions.DefaultGatewayPort, cluster.GatewayPort);

            var listen = ServerListenSettings.From(configuration);
            Assert.Equal(System.Net.IPAddress.Any, listen.Address);
            Assert.Equal(HttpPort, listen.HttpPort);
            if (roles.HasFlag(ServerRoles.Query))
                Assert.Equal(QueryPort, listen.QueryPort);
            if (roles.HasFlag(ServerRoles.Ingest))
                AssertIngestStarts(name, configuration);
            // The benchmark diagnostic deactivates every grain it measures: never on in a deployment.
            Assert.False(GrainMemoryProbe.IsEnabled(configuration, roles), $"{name}: {GrainMemoryProbe.ConfigurationKey} is on");
        }
    }

    [Fact]
    public void GrainMemoryProbe_AnswersOnlyCallersOnTheSameMachine()
    {
        Assert.True(GrainMemoryProbe.IsAllowedFrom(System.Net.IPAddress.Loopback));
        Assert.True(GrainMemoryProbe.IsAllowedFrom(System.Net.IPAddress.IPv6Loopback));
        Assert.True(GrainMemoryProbe.IsAllowedFrom(System.Net.IPAddress.Parse("127.0.0.2")));
        Assert.True(GrainMemoryProbe.IsAllowedFrom(System.Net.IPAddress.Parse("::ffff:127.0.0.1"))); // a dual-mode socket's IPv4 caller
        Assert.False(GrainMemoryProbe.IsAllowedFrom(System.Net.IPAddress.Parse("10.0.3.7")));
        Assert.False(GrainMemoryProbe.IsAllowedFrom(System.Net.IPAddress.Parse("::ffff:10.0.3.7")));
        Assert.False(GrainMemoryProbe.IsAllowedFrom(null));
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void Secrets_EveryContainer_ReadsKeysAndConnectionStringsOnlyFromTheSecret(string overlay)
    {
        var manifests = Manifests.Load(overlay);
        foreach (var (deployment, container, roles) in RoleContainers.Of(manifests))
        {
            var env = manifests.Environment(container);
            var name = $"{overlay} {deployment.Metadata.Name}";
            AssertFromSecret(name, env, FlowMeshClusterOptions.RedisConnectionStringVariable, DeployFacts.RedisSecretKey);
            if (roles.HasFlag(ServerRoles.Ingest))
                AssertFromSecret(name, env, "FlowMesh__Ingest__AccessKey", DeployFacts.AccessKeySecretKey);
            foreach (var (variable, value) in env)
            {
                if (SecretLookingName().IsMatch(variable))
                    Assert.True(value.SecretKey is not null, $"{name}: {variable} is not read from a Secret");
            }
        }
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void SiloPods_KubernetesHosting_GetPodFieldsAndIdsFromTheDownwardApi(string overlay)
    {
        var manifests = Manifests.Load(overlay);
        var (deployment, container, _) = RoleContainers.Of(manifests).Single(r => r.Roles == ServerRoles.Silo);
        var env = manifests.Environment(container);
        var labels = deployment.Spec.Template.Metadata.Labels;

        foreach (var (variable, fieldPath) in FlowMeshClusterOptionsValidator.KubernetesPodVariables)
            Assert.Equal(fieldPath, env[variable].FieldPath);
        Assert.Equal("metadata.labels['orleans/clusterId']", env[FlowMeshClusterOptionsValidator.OrleansClusterIdVariable].FieldPath);
        Assert.Equal("metadata.labels['orleans/serviceId']", env[FlowMeshClusterOptionsValidator.OrleansServiceIdVariable].FieldPath);
        // The labels Orleans selects its pods by carry the same ids the clients are configured with.
        Assert.Equal(env["FlowMesh__Cluster__ClusterId"].Value, labels["orleans/clusterId"]);
        Assert.Equal(env["FlowMesh__Cluster__ServiceId"].Value, labels["orleans/serviceId"]);
        Assert.Equal(nameof(ClusterProvider.Kubernetes), env["FlowMesh__Cluster__Provider"].Value);
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void Shutdown_EveryDeployment_GracePeriodExceedsTheHostShutdownTimeout(string overlay)
    {
        var manifests = Manifests.Load(overlay);
        foreach (var (deployment, container, _) in RoleContainers.Of(manifests))
        {
            var timeout = int.Parse(manifests.Environment(container)["shutdownTimeoutSeconds"].Value!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(deployment.Spec.Template.Spec.TerminationGracePeriodSeconds > timeout + 5,
                $"{overlay} {deployment.Metadata.Name}: grace {deployment.Spec.Template.Spec.TerminationGracePeriodSeconds} s, shutdown timeout {timeout} s");
        }
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void SiloRollout_Strategy_AddsOneBeforeRemovingAny(string overlay)
    {
        var (deployment, _, _) = RoleContainers.Of(Manifests.Load(overlay)).Single(r => r.Roles == ServerRoles.Silo);
        var rolling = deployment.Spec.Strategy.RollingUpdate;

        Assert.Equal("RollingUpdate", deployment.Spec.Strategy.Type);
        Assert.Equal("0", rolling.MaxUnavailable.Value);
        Assert.Equal("1", rolling.MaxSurge.Value);
    }

    [Fact]
    public void Dockerfile_ImageFacts_MatchTheManifestsAndTheServer()
    {
        var dockerfile = File.ReadAllText(Repository.PathOf("deploy", "docker", "Dockerfile"));
        var manifests = Manifests.Load(DeployFacts.Dev);
        var containers = RoleContainers.Of(manifests).ToList();

        var user = long.Parse(DockerUser().Match(dockerfile).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(containers, c => Assert.Equal(user, c.Container.SecurityContext.RunAsUser));

        var exposed = DockerExpose().Match(dockerfile).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.True(exposed.SetEquals(containers.SelectMany(c => c.Container.Ports).Select(p => p.ContainerPort)), $"EXPOSE {string.Join(' ', exposed)}");

        var entryPoint = typeof(ServerRoleParser).Assembly.GetName().Name + ".dll";
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{entryPoint}\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FlowMesh__ListenAddress=0.0.0.0", dockerfile, StringComparison.Ordinal);
        Assert.Contains("DOTNET_EnableDiagnostics=0", dockerfile, StringComparison.Ordinal);
    }

    private static void AssertProbe(string name, V1Container container, V1Probe? probe, string path)
    {
        Assert.True(probe?.HttpGet is not null, $"{name}: missing HTTP probe for {path}");
        Assert.Equal(path, probe.HttpGet.Path);
        var port = probe.HttpGet.Port.Value;
        var resolved = int.TryParse(port, out var number) ? number : container.Ports.Single(p => p.Name == port).ContainerPort;
        Assert.Equal(HttpPort, resolved);
    }

    private static void AssertFromSecret(string name, IReadOnlyDictionary<string, EnvValue> env, string variable, string key)
    {
        Assert.True(env.TryGetValue(variable, out var value), $"{name}: {variable} is not set");
        Assert.Equal(key, value.SecretKey);
        Assert.StartsWith(DeployFacts.SecretName, value.SecretName, StringComparison.Ordinal);
    }

    /// <summary>
    /// What the process would see in the pod: ConfigMap and literal values, a placeholder for each
    /// Secret reference, downward-API values, and the variables the kubelet always sets.
    /// </summary>
    private static IConfiguration PodConfiguration(Manifests manifests, V1Deployment deployment, V1Container container)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [FlowMeshClusterOptionsValidator.KubernetesServiceHostVariable] = "10.96.0.1",
        };
        foreach (var (variable, value) in manifests.Environment(container))
        {
            values[variable.Replace("__", ":", StringComparison.Ordinal)] = value switch
            {
                { Value: { } text } => text,
                { SecretKey: { } key } => $"placeholder-for-secret-{key}",
                { FieldPath: "metadata.name" } => deployment.Metadata.Name + "-7d9f8c6b5-x2x4z",
                { FieldPath: "metadata.namespace" } => deployment.Metadata.NamespaceProperty ?? "default",
                { FieldPath: "status.podIP" } => "10.244.1.17",
                { FieldPath: { } path } when LabelField().Match(path) is { Success: true } label =>
                    deployment.Spec.Template.Metadata.Labels.TryGetValue(label.Groups[1].Value, out var text) ? text
                        : throw new InvalidOperationException($"{deployment.Metadata.Name}: {variable} reads label {label.Groups[1].Value}, which the pod does not have"),
                _ => throw new InvalidOperationException($"{deployment.Metadata.Name}: cannot resolve {variable}"),
            };
        }
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static void AssertIngestStarts(string name, IConfiguration configuration)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(configuration);
        builder.AddFlowMeshIngest();
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<IngestOptions>>().Value;
        Assert.True(options.ConfiguredAccessKeys().Any(), $"{name}: no access key");
        Assert.False(options.AllowInsecureNoAccessKey, $"{name}: accepts deliveries without a key");
        Assert.Equal(HttpPort, options.Port);
    }

    [GeneratedRegex(@"^USER\s+(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex DockerUser();

    [GeneratedRegex(@"^EXPOSE\s+([\d ]+)$", RegexOptions.Multiline)]
    private static partial Regex DockerExpose();

    [GeneratedRegex(@"^metadata\.labels\['([^']+)'\]$")]
    private static partial Regex LabelField();

    [GeneratedRegex("(KEY|PASSWORD|SECRET|TOKEN|CONNECTIONSTRING)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretLookingName();
}
