using System.CommandLine;
using FlowMesh.Cli.Commands;

namespace FlowMesh.Cli;

/// <summary>Builds the <c>flowmesh</c> command tree and runs it with the exit-code conventions of every verb.</summary>
internal static class CliApp
{
    /// <summary>Exit code for a command line that cannot be run (unknown option, bad --format, missing file).</summary>
    public const int UsageError = 2;

    public static RootCommand BuildRootCommand(CliConsole console)
    {
        var root = new RootCommand("FlowMesh: live contributor insights from AWS VPC Flow Logs.");
        root.Subcommands.Add(ParseCommand.Create(console));
        root.Subcommands.Add(TopCommand.Create(console));
        root.Subcommands.Add(WatchCommand.Create(console));
        root.Subcommands.Add(EniCommand.Create(console));
        root.Subcommands.Add(IpCommand.Create(console));
        root.Subcommands.Add(GenerateCommand.Create(console));
        root.Subcommands.Add(ReplayCommand.Create(console));
        root.Subcommands.Add(IngestErrorsCommand.Create(console));
        root.Subcommands.Add(DiagnoseCommand.Create(console));
        root.Subcommands.Add(AlertsCommand.Create(console));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var result = BuildRootCommand(console).Parse(args);
        if (result.Errors.Count > 0)
        {
            // System.CommandLine answers 1 for parse errors; 1 means "malformed input" here, so report them as usage errors.
            foreach (var error in result.Errors) await console.Error.WriteLineAsync($"flowmesh: {error.Message}");
            await console.Error.WriteLineAsync("Run 'flowmesh --help' for usage.");
            return UsageError;
        }
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        return await result.InvokeAsync(configuration, cancellationToken);
    }
}
