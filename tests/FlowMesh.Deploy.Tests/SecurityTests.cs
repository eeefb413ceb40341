using k8s.Models;

namespace FlowMesh.Deploy.Tests;

/// <summary>Hardening, secrets and RBAC of the rendered manifests.</summary>
public sealed class SecurityTests
{
    /// <summary>
    /// What KubernetesClusterAgent (Microsoft.Orleans.Hosting.Kubernetes 10.4) calls on pods: Read
    /// (get), Patch (its own labels), List and List with watch=true. Delete only with
    /// DeleteDefunctSiloPods, which FlowMesh leaves off.
    /// </summary>
    private static readonly string[] KubernetesHostingVerbs = ["get", "list", "patch", "watch"];

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void SecurityContext_EveryContainer_IsHardened(string overlay)
    {
        var manifests = Manifests.Load(overlay);
        foreach (var deployment in manifests.Deployments)
        {
            var pod = deployment.Spec.Template.Spec;
            foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
            {
                var name = $"{overlay} {deployment.Metadata.Name}/{container.Name}";
                var context = container.SecurityContext;
                Assert.True(context is not null, $"{name}: no securityContext");
                Assert.True(context.RunAsNonRoot ?? pod.SecurityContext?.RunAsNonRoot, $"{name}: runAsNonRoot");
                Assert.True((context.RunAsUser ?? pod.SecurityContext?.RunAsUser) > 0, $"{name}: numeric non-root runAsUser");
                Assert.False(context.AllowPrivilegeEscalation ?? true, $"{name}: allowPrivilegeEscalation");
                Assert.True(context.ReadOnlyRootFilesystem, $"{name}: readOnlyRootFilesystem");
                Assert.Contains("ALL", context.Capabilities?.Drop ?? []);
                Assert.Empty(context.Capabilities?.Add ?? []);
                Assert.NotEqual(true, context.Privileged);
                Assert.Equal("RuntimeDefault", (context.SeccompProfile ?? pod.SecurityContext?.SeccompProfile)?.Type);
            }
        }
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void Tmp_FlowMeshContainers_MountAnEmptyDir(string overlay)
    {
        foreach (var (deployment, container, _) in RoleContainers.Of(Manifests.Load(overlay)))
        {
            var mount = Assert.Single(container.VolumeMounts, m => m.MountPath == "/tmp");
            var volume = Assert.Single(deployment.Spec.Template.Spec.Volumes, v => v.Name == mount.Name);
            Assert.NotNull(volume.EmptyDir);
        }
    }

    [Fact]
    public void Base_Rendered_HoldsNoSecret()
    {
        var manifests = Manifests.Load(DeployFacts.Base);

        Assert.DoesNotContain(manifests.Secrets, s => s.Data is { Count: > 0 } || s.StringData is { Count: > 0 });
        Assert.Empty(manifests.Secrets);
    }

    [Fact]
    public void Prod_Rendered_HoldsNoSecretAndReferencesTheOperatorsSecret()
    {
        var manifests = Manifests.Load(DeployFacts.Prod);
        var references = SecretReferences(manifests).ToList();

        Assert.Empty(manifests.Secrets);
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Equal(DeployFacts.SecretName, r.Name));
    }

    [Fact]
    public void Dev_GeneratedSecret_HasEveryReferencedKeyWithObviouslyFakeValues()
    {
        var manifests = Manifests.Load(DeployFacts.Dev);
        var secret = Assert.Single(manifests.Secrets);

        Assert.StartsWith(DeployFacts.SecretName, secret.Metadata.Name, StringComparison.Ordinal);
        foreach (var (name, key) in SecretReferences(manifests))
        {
            Assert.Equal(secret.Metadata.Name, name);
            Assert.True(secret.Data.ContainsKey(key), $"dev Secret lacks {key}");
        }
        Assert.All(secret.Data.Values, value => Assert.Contains("dev-only", System.Text.Encoding.UTF8.GetString(value), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void Rbac_SiloServiceAccount_GrantedExactlyWhatKubernetesHostingCalls(string overlay)
    {
        var manifests = Manifests.Load(overlay);
        var silo = RoleContainers.Of(manifests).Single(r => r.Roles == Server.Cluster.ServerRoles.Silo).Deployment;
        var account = silo.Spec.Template.Spec.ServiceAccountName;
        var namespaceName = silo.Metadata.NamespaceProperty;

        Assert.Contains(manifests.Objects.OfType<V1ServiceAccount>(), a => a.Metadata.Name == account);
        Assert.NotEqual(false, silo.Spec.Template.Spec.AutomountServiceAccountToken);
        var binding = Assert.Single(manifests.Objects.OfType<V1RoleBinding>(),
            b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == account && s.NamespaceProperty == namespaceName));
        Assert.Equal("Role", binding.RoleRef.Kind);
        var role = Assert.Single(manifests.Objects.OfType<V1Role>(), r => r.Metadata.Name == binding.RoleRef.Name);
        var podRules = role.Rules.Where(r => r.ApiGroups.Contains("") && r.Resources.Contains("pods")).ToList();
        var granted = podRules.SelectMany(r => r.Verbs).Distinct().Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(KubernetesHostingVerbs, granted);
        Assert.All(role.Rules, r => Assert.Equal(["pods"], r.Resources));
    }

    [Theory]
    [MemberData(nameof(DeployFacts.Overlays), MemberType = typeof(DeployFacts))]
    public void ServiceAccounts_IngestAndQuery_GetNoApiToken(string overlay)
    {
        var manifests = Manifests.Load(overlay);
        foreach (var (deployment, _, roles) in RoleContainers.Of(manifests).Where(r => !r.Roles.HasFlag(Server.Cluster.ServerRoles.Silo)))
        {
            var account = manifests.Objects.OfType<V1ServiceAccount>().Single(a => a.Metadata.Name == deployment.Spec.Template.Spec.ServiceAccountName);
            Assert.False(deployment.Spec.Template.Spec.AutomountServiceAccountToken ?? account.AutomountServiceAccountToken ?? true,
                $"{deployment.Metadata.Name} ({roles}) mounts an API token it never uses");
            Assert.DoesNotContain(manifests.Objects.OfType<V1RoleBinding>(), b => b.Subjects.Any(s => s.Name == account.Metadata.Name));
        }
    }

    private static IEnumerable<(string Name, string Key)> SecretReferences(Manifests manifests) =>
        manifests.Deployments
            .SelectMany(d => d.Spec.Template.Spec.Containers)
            .SelectMany(c => c.Env ?? [])
            .Where(e => e.ValueFrom?.SecretKeyRef is not null)
            .Select(e => (e.ValueFrom.SecretKeyRef.Name, e.ValueFrom.SecretKeyRef.Key));
}
