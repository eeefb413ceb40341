using FlowMesh.Server.Cluster;

namespace FlowMesh.Server.Hosting;

/// <summary>Reads the roles this process hosts from <c>--roles silo,ingest,query</c> (configuration <c>FlowMesh:Roles</c>).</summary>
public static class ServerRoleParser
{
    public const string ConfigurationKey = "FlowMesh:Roles";

    /// <summary>Parses a comma-separated role list; null or empty means all three roles.</summary>
    public static ServerRoles Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return ServerRoles.All;
        var roles = ServerRoles.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            roles |= part.ToUpperInvariant() switch
            {
                "SILO" => ServerRoles.Silo,
                "INGEST" => ServerRoles.Ingest,
                "QUERY" => ServerRoles.Query,
                "ALL" => ServerRoles.All,
                _ => throw new FormatException(
                    $"Unknown role '{part}' in --roles (FlowMesh:Roles); use a comma-separated list of silo, ingest, query."),
            };
        }
        return roles == ServerRoles.None ? ServerRoles.All : roles;
    }

    /// <summary>"silo, ingest, query" style text for the start-up banner.</summary>
    public static string Format(ServerRoles roles) =>
        string.Join(", ", new[] { ServerRoles.Silo, ServerRoles.Ingest, ServerRoles.Query }
            .Where(role => roles.HasFlag(role))
            .Select(role => role.ToString().ToLowerInvariant()));
}
