using FlowMesh.Server.Cluster;
using FlowMesh.Server.Hosting;
using k8s.Models;

namespace FlowMesh.Deploy.Tests;

/// <summary>The FlowMesh container of each Deployment and the roles its arguments select, parsed by the server's own code.</summary>
internal static class RoleContainers
{
    public static IEnumerable<(V1Deployment Deployment, V1Container Container, ServerRoles Roles)> Of(Manifests manifests) =>
        manifests.FlowMeshDeployments.Select(d =>
        {
            var container = Assert.Single(d.Spec.Template.Spec.Containers);
            return (d, container, RolesOf(container));
        });

    /// <summary>Runs the container's arguments through the server's command-line normalisation and role parser.</summary>
    public static ServerRoles RolesOf(V1Container container)
    {
        var arguments = ServerCommandLine.Normalize([.. container.Args ?? []]);
        var prefix = $"--{ServerRoleParser.ConfigurationKey}=";
        var roleArgument = arguments.SingleOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(roleArgument is not null, $"container {container.Name} has no --roles argument: [{string.Join(' ', container.Args ?? [])}]");
        return ServerRoleParser.Parse(roleArgument[prefix.Length..]);
    }
}
