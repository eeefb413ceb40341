using FlowMesh.Server.Cluster;
using k8s.Models;

namespace FlowMesh.Deploy.Tests;

/// <summary>Services, budgets, autoscalers, network policies and the ingress select what exists and allow what the cluster needs.</summary>
public sealed class PolicyTests
{
    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void DisruptionBudgets_EveryRole_SelectsItsPodsAndAllowsOneDown(string overlay)
    {
        var manifests = Manifests.Load(overlay);
        var budgets = manifests.Objects.OfType<V1PodDisruptionBudget>().ToList();
        foreach (var (deployment, _, roles) in RoleContainers.Of(manifests))
        {
            var budget = Assert.Single(budgets, b => LabelSelectors.Matches(b.Spec.Selector, deployment.Spec.Template.Metadata.Labels));
            Assert.Equal("1", budget.Spec.MaxUnavailable?.Value);
            Assert.All(manifests.FlowMeshDeployments.Where(d => d != deployment),
                other => Assert.False(LabelSelectors.Matches(budget.Spec.Selector, other.Spec.Template.Metadata.Labels), $"{budget.Metadata.Name} ({roles}) also selects {other.Metadata.Name}"));
        }
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void Autoscalers_IngestAndQuery_ScaleExistingDeploymentsOnCpu(string overlay)
    {
        var manifests = Manifests.Load(overlay);
        var autoscalers = manifests.Objects.OfType<V2HorizontalPodAutoscaler>().ToList();
        foreach (var (deployment, _, _) in RoleContainers.Of(manifests).Where(r => r.Roles is ServerRoles.Ingest or ServerRoles.Query))
        {
            var hpa = Assert.Single(autoscalers, a => a.Spec.ScaleTargetRef.Kind == "Deployment" && a.Spec.ScaleTargetRef.Name == deployment.Metadata.Name);
            var metric = Assert.Single(hpa.Spec.Metrics);
            Assert.Equal("cpu", metric.Resource.Name);
            Assert.InRange(metric.Resource.Target.AverageUtilization ?? 0, 1, 100);
            Assert.InRange(hpa.Spec.MinReplicas ?? 1, 1, hpa.Spec.MaxReplicas);
            Assert.True(deployment.Spec.Template.Spec.Containers.All(c => c.Resources?.Requests?.ContainsKey("cpu") == true), "CPU utilisation needs CPU requests");
        }
        Assert.Equal(2, autoscalers.Count);
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void NetworkPolicies_Every_SelectsExistingPods(string overlay)
    {
        var manifests = Manifests.Load(overlay);
        foreach (var policy in manifests.NetworkPolicies)
        {
            Assert.True(manifests.PodTemplates.Any(p => LabelSelectors.Matches(policy.Spec.PodSelector, p.Template.Metadata.Labels)),
                $"{overlay}: NetworkPolicy {policy.Metadata.Name} selects no pod");
        }
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void NetworkPolicies_ClusterTraffic_AllowedAndEverythingElseDenied(string overlay)
    {
        var manifests = Manifests.Load(overlay);
        var byRole = RoleContainers.Of(manifests).ToDictionary(r => r.Roles, r => r.Deployment.Spec.Template.Metadata.Labels);
        var policies = manifests.NetworkPolicies.ToList();

        Assert.All(byRole.Values, labels => Assert.Contains(policies, p => IsDenyAll(p) && LabelSelectors.Matches(p.Spec.PodSelector, labels)));
        Assert.True(AllowsFromPod(policies, byRole[ServerRoles.Silo], byRole[ServerRoles.Silo], FlowMeshClusterOptions.DefaultSiloPort), "silo -> silo 11111");
        Assert.True(AllowsFromPod(policies, byRole[ServerRoles.Ingest], byRole[ServerRoles.Silo], FlowMeshClusterOptions.DefaultGatewayPort), "ingest -> gateway 30000");
        Assert.True(AllowsFromPod(policies, byRole[ServerRoles.Query], byRole[ServerRoles.Silo], FlowMeshClusterOptions.DefaultGatewayPort), "query -> gateway 30000");
        Assert.False(AllowsFromPod(policies, byRole[ServerRoles.Ingest], byRole[ServerRoles.Silo], FlowMeshClusterOptions.DefaultSiloPort), "ingest must not reach the silo port");
        Assert.True(AllowsFromNamespace(policies, "ingress-nginx", byRole[ServerRoles.Ingest], Ingest.Firehose.IngestOptions.DefaultPort), "ingress controller -> ingest 8080");
        Assert.True(AllowsFromPod(policies, new Dictionary<string, string> { ["flowmesh.io/query-client"] = "true" }, byRole[ServerRoles.Query], new Query.QueryOptions().Port), "client -> query 50051");
        Assert.False(AllowsFromNamespace(policies, "ingress-nginx", byRole[ServerRoles.Silo], FlowMeshClusterOptions.DefaultGatewayPort), "ingress controller must not reach the gateway");
        if (overlay == DeployFacts.Dev)
        {
            var redis = manifests.Deployment("flowmesh-redis").Spec.Template.Metadata.Labels;
            Assert.All(byRole.Values, labels => Assert.True(AllowsFromPod(policies, labels, redis, 6379), "flowmesh -> redis 6379"));
        }
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void Services_Every_SelectsPodsAndTargetsTheirNamedPorts(string overlay)
    {
        var manifests = Manifests.Load(overlay);
        foreach (var service in manifests.Services)
        {
            var pods = manifests.PodTemplates.Where(p => LabelSelectors.Matches(service.Spec.Selector, p.Template.Metadata.Labels)).ToList();
            Assert.True(pods.Count > 0, $"{overlay}: Service {service.Metadata.Name} selects no pod");
            foreach (var port in service.Spec.Ports)
            {
                Assert.All(pods, p => Assert.Contains(p.Template.Spec.Containers.SelectMany(c => c.Ports),
                    cp => cp.Name == port.TargetPort.Value && cp.ContainerPort == port.Port));
            }
        }
        var query = manifests.Services.Single(s => s.Metadata.Name == "flowmesh-query");
        Assert.Equal("kubernetes.io/h2c", Assert.Single(query.Spec.Ports).AppProtocol);
        var silo = manifests.Services.Single(s => s.Metadata.Name == "flowmesh-silo");
        Assert.Equal("None", silo.Spec.ClusterIP);
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void Ingress_Firehose_RoutesTheEndpointPathToIngestOverTls(string overlay)
    {
        var manifests = Manifests.Load(overlay);
        var ingress = Assert.Single(manifests.Objects.OfType<V1Ingress>());
        var rule = Assert.Single(ingress.Spec.Rules);
        var path = Assert.Single(rule.Http.Paths);
        var service = manifests.Services.Single(s => s.Metadata.Name == path.Backend.Service.Name);
        var ingest = RoleContainers.Of(manifests).Single(r => r.Roles == ServerRoles.Ingest).Deployment;

        Assert.Equal(Ingest.Firehose.IngestOptions.DefaultPath, path.Path);
        Assert.True(LabelSelectors.Matches(service.Spec.Selector, ingest.Spec.Template.Metadata.Labels));
        Assert.Contains(service.Spec.Ports, p => p.Name == path.Backend.Service.Port.Name && p.Port == Ingest.Firehose.IngestOptions.DefaultPort);
        var tls = Assert.Single(ingress.Spec.Tls);
        Assert.False(string.IsNullOrEmpty(tls.SecretName));
        Assert.Contains(rule.Host, tls.Hosts);
        Assert.Equal("64m", ingress.Metadata.Annotations["nginx.ingress.kubernetes.io/proxy-body-size"]);
    }

    [Fact]
    public void Overlays_Replicas_DevRunsOneOfEachProdSpreadsSeveral()
    {
        var dev = Manifests.Load(DeployFacts.Dev);
        var prod = Manifests.Load(DeployFacts.Prod);

        Assert.All(dev.FlowMeshDeployments, d => Assert.Equal(1, d.Spec.Replicas));
        Assert.Single(dev.Deployments, d => d.Metadata.Name == "flowmesh-redis");
        Assert.DoesNotContain(prod.Deployments, d => d.Metadata.Name == "flowmesh-redis");
        foreach (var deployment in prod.FlowMeshDeployments)
        {
            Assert.True(deployment.Spec.Replicas >= 3, $"{deployment.Metadata.Name}: {deployment.Spec.Replicas} replicas");
            var term = Assert.Single(deployment.Spec.Template.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution).PodAffinityTerm;
            Assert.Equal("kubernetes.io/hostname", term.TopologyKey);
            Assert.True(LabelSelectors.Matches(term.LabelSelector, deployment.Spec.Template.Metadata.Labels));
            Assert.Contains(deployment.Spec.Template.Spec.TopologySpreadConstraints, c => c.TopologyKey == "topology.kubernetes.io/zone");
        }
    }

    private static bool IsDenyAll(V1NetworkPolicy policy) =>
        policy.Spec.PolicyTypes.Contains("Ingress") && (policy.Spec.Ingress is null || policy.Spec.Ingress.Count == 0);

    private static bool AllowsFromPod(List<V1NetworkPolicy> policies, IDictionary<string, string> from, IDictionary<string, string> to, int port) =>
        Rules(policies, to, port).Any(rule => rule.FromProperty.Any(peer => peer.NamespaceSelector is null && LabelSelectors.Matches(peer.PodSelector, from)));

    private static bool AllowsFromNamespace(List<V1NetworkPolicy> policies, string namespaceName, IDictionary<string, string> to, int port) =>
        Rules(policies, to, port).Any(rule => rule.FromProperty.Any(peer =>
            LabelSelectors.Matches(peer.NamespaceSelector, new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = namespaceName })));

    private static IEnumerable<V1NetworkPolicyIngressRule> Rules(List<V1NetworkPolicy> policies, IDictionary<string, string> to, int port) =>
        policies.Where(p => LabelSelectors.Matches(p.Spec.PodSelector, to))
            .SelectMany(p => p.Spec.Ingress ?? [])
            .Where(rule => rule.FromProperty is { Count: > 0 } && rule.Ports.Any(p => p.Port?.Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
