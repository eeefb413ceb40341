using System.CommandLine;
using FlowMesh.FlowLogs;

namespace FlowMesh.Cli.Commands;

/// <summary>
/// <c>flowmesh parse [FILE…] [--format '…'] [--json]</c>: reads flow-log files (plain or gzip, with or without
/// an S3 header line) or stdin, prints each record, and reports malformed lines on stderr as FILE:LINE.
/// Exit 0 when every line was a record, 1 when some were malformed, 2 for usage errors.
/// </summary>
internal static class ParseCommand
{
    public const int MalformedInput = 1;

    public static Command Create(CliConsole console)
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Flow-log files, plain or gzip ('-' or none: standard input).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var format = new Option<string?>("--format")
        {
            Description = "The flow log's format string, e.g. '${version} ${srcaddr} …' (default: the 14 v2 fields). A header line in the file overrides it.",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per record per line (JSON Lines)." };

        var command = new Command("parse", "Parse VPC flow-log lines and print the records.") { files, format, json };
        command.SetAction((parseResult, cancellationToken) => RunAsync(console,
            parseResult.GetValue(files) ?? [], parseResult.GetValue(format), parseResult.GetValue(json), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliConsole console, string[] files, string? formatText, bool json, CancellationToken cancellationToken)
    {
        var format = FlowLogFormat.Default;
        if (formatText is not null)
        {
            try
            {
                format = FlowLogFormat.Parse(formatText);
            }
            catch (FlowLogFormatException e)
            {
                await console.Error.WriteLineAsync($"flowmesh parse: invalid --format: {e.Message}");
                return CliApp.UsageError;
            }
        }

        if (files.Length == 0) files = ["-"];
        var missing = files.Where(f => f != "-" && !File.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            foreach (var file in missing) await console.Error.WriteLineAsync($"flowmesh parse: file not found: '{file}'");
            return CliApp.UsageError;
        }

        using var output = new ParseOutputSink(console, json);
        var interner = new Utf8StringInterner();
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = file == "-" ? "<stdin>" : file;
            var parser = new FlowLogParser(format, interner);
            output.BeginInput(name, parser);
            try
            {
                await using var stream = file == "-" ? console.OpenStandardInput() : File.OpenRead(file);
                await FlowLogInput.ReadAsync(stream, parser, output, cancellationToken);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                await output.ReportInputErrorAsync(e.Message);
            }
        }
        await console.Out.FlushAsync(cancellationToken);
        return output.MalformedCount > 0 ? MalformedInput : 0;
    }
}
