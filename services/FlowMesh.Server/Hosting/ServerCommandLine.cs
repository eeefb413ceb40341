namespace FlowMesh.Server.Hosting;

/// <summary>
/// Turns the server's own switches into configuration arguments before the host reads them.
/// The configuration command-line provider cannot take a switch without a value: a bare
/// <c>--insecure-no-access-key</c> or <c>--demo</c> would swallow the next argument as its value.
/// </summary>
public static class ServerCommandLine
{
    public const string InsecureNoAccessKey = "--insecure-no-access-key";
    public const string Roles = "--roles";
    public const string Demo = "--demo";

    public static string[] Normalize(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == InsecureNoAccessKey)
                result.Add("--FlowMesh:Ingest:AllowInsecureNoAccessKey=true");
            else if (arg == Demo)
                result.Add("--FlowMesh:Demo:Enabled=true");
            else if (arg == Roles && i + 1 < args.Count)
                result.Add($"--{ServerRoleParser.ConfigurationKey}={args[++i]}");
            else if (arg.StartsWith(Roles + "=", StringComparison.Ordinal))
                result.Add($"--{ServerRoleParser.ConfigurationKey}={arg[(Roles.Length + 1)..]}");
            else
                result.Add(arg);
        }
        return [.. result];
    }
}
