using System.CommandLine;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using FlowMesh.FlowLogs;
using FlowMesh.Traffic;

namespace FlowMesh.Cli.Commands;

/// <summary>
/// <c>flowmesh generate [--records N] [--rate R] [--seed S] [--scale K] [--start UNIX] [--format '…'] [--header] [--output FILE|-]</c>:
/// realistic synthetic flow-log lines from the generator the server's demo mode uses. The same
/// seed, scale, start and rate give the same lines: timestamps come from <c>--start</c> (plus
/// record index / rate when a rate is set), never from the wall clock while generating.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create(CliConsole console)
    {
        var records = new Option<long>("--records", "-n")
        {
            Description = "How many records (0 = until Ctrl-C).",
            DefaultValueFactory = _ => 10_000,
        };
        var rate = new Option<double>("--rate") { Description = "Records per second (default 0: as fast as possible)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic estate and traffic.", DefaultValueFactory = _ => 1 };
        var scale = new Option<int>("--scale") { Description = "Multiplies interfaces and internet clients, 1..100.", DefaultValueFactory = _ => 1 };
        var start = new Option<long?>("--start") { Description = "Unix seconds of the first record (default: now). Pin it to reproduce a file." };
        var format = new Option<string?>("--format") { Description = "The flow-log format, e.g. '${version} ${srcaddr} …' (default: the 14 v2 fields)." };
        var header = new Option<bool>("--header") { Description = "Write a header line first, as in flow-log files on S3." };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Where to write: a file ('.gz' names are gzip'd) or '-' for standard output.",
            DefaultValueFactory = _ => "-",
        };

        var command = new Command("generate", "Write realistic synthetic VPC flow-log lines (the demo's traffic).")
        {
            records, rate, seed, scale, start, format, header, output,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(console, new Settings(
            parseResult.GetValue(records), parseResult.GetValue(rate), parseResult.GetValue(seed), parseResult.GetValue(scale),
            parseResult.GetValue(start), parseResult.GetValue(format), parseResult.GetValue(header), parseResult.GetValue(output) ?? "-"),
            cancellationToken));
        return command;
    }

    public sealed record Settings(long Records, double Rate, int Seed, int Scale, long? Start, string? Format, bool Header, string Output);

    public static async Task<int> RunAsync(CliConsole console, Settings settings, CancellationToken cancellationToken)
    {
        var format = FlowLogFormat.Default;
        try
        {
            if (settings.Format is not null) format = FlowLogFormat.Parse(settings.Format);
        }
        catch (FlowLogFormatException e)
        {
            return await UsageAsync(console, $"invalid --format: {e.Message}");
        }
        if (settings.Records < 0) return await UsageAsync(console, "--records must be 0 (no limit) or more");
        if (settings.Rate < 0 || double.IsNaN(settings.Rate)) return await UsageAsync(console, "--rate must be 0 (as fast as possible) or more");
        if (settings.Scale is < 1 or > 100) return await UsageAsync(console, "--scale must be 1..100");

        var start = settings.Start ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var toFile = settings.Output != "-";
        TextWriter writer;
        try
        {
            writer = toFile ? OpenFile(settings.Output) : console.Out;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return await UsageAsync(console, $"cannot write '{settings.Output}': {e.Message}");
        }

        try
        {
            if (settings.Header) await writer.WriteLineAsync(format.ToHeaderLine());
            await WriteRecordsAsync(writer, settings, format, start, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C ends an unbounded or paced run; what was written stays valid.
        }
        finally
        {
            if (toFile) await writer.DisposeAsync();
            else await writer.FlushAsync(CancellationToken.None);
        }
        return 0;
    }

    private static async Task WriteRecordsAsync(TextWriter writer, Settings settings, FlowLogFormat format, long start, CancellationToken cancellationToken)
    {
        var generator = new TrafficGenerator(SyntheticEstate.Create(settings.Seed, settings.Scale), settings.Seed);
        var events = new List<FlowRecord>(8);
        var paced = Stopwatch.StartNew();
        long produced = 0;
        while (settings.Records == 0 || produced < settings.Records)
        {
            // Event time advances with the record index at the requested rate, so output is reproducible.
            var now = settings.Rate > 0 ? start + (long)(produced / settings.Rate) : start;
            events.Clear();
            generator.NextEvent(now, events);
            foreach (var generated in events)
            {
                if (settings.Records != 0 && produced >= settings.Records) break;
                var record = generated;
                record.Version = format.Version;
                await writer.WriteLineAsync(FlowRecordFormatter.FormatLine(record, format));
                produced++;
            }
            if (settings.Rate > 0)
            {
                var ahead = TimeSpan.FromSeconds(produced / settings.Rate) - paced.Elapsed;
                if (ahead > TimeSpan.FromMilliseconds(50))
                {
                    await writer.FlushAsync(cancellationToken);
                    await Task.Delay(ahead, cancellationToken);
                }
            }
            else if (settings.Records == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private static StreamWriter OpenFile(string path)
    {
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        Stream stream = File.Create(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) stream = new GZipStream(stream, CompressionLevel.Optimal);
        return new StreamWriter(stream, encoding, 1 << 16) { NewLine = "\n" };
    }

    private static async Task<int> UsageAsync(CliConsole console, string message)
    {
        await console.Error.WriteLineAsync($"flowmesh generate: {message}");
        return CliApp.UsageError;
    }
}
