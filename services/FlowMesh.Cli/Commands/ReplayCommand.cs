using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FlowMesh.Cli.Querying;
using FlowMesh.FlowLogs;
using Spectre.Console;

namespace FlowMesh.Cli.Commands;

/// <summary>
/// <c>flowmesh replay FILE… --endpoint URL [--access-key K] [--batch-size 1MiB] [--gzip] [--concurrency C] [--rate R]
/// [--format '…'] [--source-arn ARN] [--max-attempts N] [--json]</c>: delivers flow-log files to a Firehose HTTP
/// endpoint exactly as Firehose would. Exit 0 when every batch was accepted, 1 when any finally failed
/// (or the run was interrupted), 2 for usage errors.
/// </summary>
internal static class ReplayCommand
{
    public const string AccessKeyVariable = "FLOWMESH_ACCESS_KEY";
    public const int Failed = 1;
    private const string DefaultSourceArn = "arn:aws:firehose:us-east-1:123456789012:deliverystream/flowmesh-replay";

    public static Command Create(CliConsole console)
    {
        var files = new Argument<string[]>("files") { Description = "Flow-log files, plain or gzip, with or without a header line.", Arity = ArgumentArity.OneOrMore };
        var endpoint = new Option<string>("--endpoint", "-e") { Description = "The Firehose HTTP endpoint URL, e.g. http://127.0.0.1:8080/v1/firehose.", Required = true };
        var accessKey = new Option<string?>("--access-key") { Description = $"Sent as X-Amz-Firehose-Access-Key (default: ${AccessKeyVariable})." };
        var batchSize = new Option<string>("--batch-size") { Description = "Largest request body before gzip, 1KiB..64MiB (Firehose's buffering size hint).", DefaultValueFactory = _ => "1MiB" };
        var gzip = new Option<bool>("--gzip") { Description = "Compress bodies (Content-Encoding: gzip), as a stream with GZIP content encoding does." };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "Requests in flight at once, 1..64.", DefaultValueFactory = _ => 1 };
        var rate = new Option<double>("--rate") { Description = "Records per second (default 0: as fast as the endpoint accepts)." };
        var format = new Option<string?>("--format") { Description = "The files' format, e.g. '${version} ${srcaddr} …' (default: the 14 v2 fields). A header line in a file overrides it." };
        var sourceArn = new Option<string>("--source-arn") { Description = "Sent as X-Amz-Firehose-Source-Arn.", DefaultValueFactory = _ => DefaultSourceArn };
        var maxAttempts = new Option<int>("--max-attempts") { Description = "Attempts per request before it counts as failed, 1..20.", DefaultValueFactory = _ => 8 };
        var json = new Option<bool>("--json") { Description = "Print one JSON summary object instead of the progress bar and text summary." };

        var command = new Command("replay", "Send flow-log files to a Firehose HTTP endpoint, as Firehose would.")
        {
            files, endpoint, accessKey, batchSize, gzip, concurrency, rate, format, sourceArn, maxAttempts, json,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var arguments = new Arguments(parseResult.GetValue(files) ?? [], parseResult.GetValue(endpoint)!, parseResult.GetValue(accessKey),
                parseResult.GetValue(batchSize)!, parseResult.GetValue(gzip), parseResult.GetValue(concurrency), parseResult.GetValue(rate),
                parseResult.GetValue(format), parseResult.GetValue(sourceArn)!, parseResult.GetValue(maxAttempts), parseResult.GetValue(json));
            return RunAsync(console, arguments, cancellationToken);
        });
        return command;
    }

    public sealed record Arguments(
        string[] Files, string Endpoint, string? AccessKey, string BatchSize, bool Gzip, int Concurrency, double Rate,
        string? Format, string SourceArn, int MaxAttempts, bool Json);

    public static async Task<int> RunAsync(CliConsole console, Arguments arguments, CancellationToken cancellationToken)
    {
        ReplaySettings settings;
        try
        {
            settings = Validate(arguments);
        }
        catch (FormatException e)
        {
            await console.Error.WriteLineAsync($"flowmesh replay: {e.Message}");
            return CliApp.UsageError;
        }

        var totals = new ReplayTotals();
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = TimeSpan.FromMinutes(3) };
        var replayer = new FirehoseReplayer(http, settings, totals);
        var stopwatch = Stopwatch.StartNew();
        var interrupted = false;
        try
        {
            var run = replayer.RunAsync(arguments.Files, cancellationToken);
            var ansi = SpectreConsoles.Create(console);
            if (!arguments.Json && ansi.Profile.Capabilities.Interactive) await ShowProgressAsync(ansi, run, totals, arguments.Files);
            else await run;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await console.Error.WriteLineAsync($"flowmesh replay: cannot read the input: {e.Message}");
            interrupted = true;
        }
        var elapsed = stopwatch.Elapsed;

        foreach (var failure in totals.Failures)
        {
            await console.Error.WriteLineAsync(
                $"flowmesh replay: batch {failure.RequestId} ({failure.Records} records of {failure.File}) failed after {failure.Attempts} attempts: {failure.Error}");
        }
        if (arguments.Json) await console.Out.WriteLineAsync(totals.ToJson(settings.Endpoint.ToString(), arguments.Files.Length, elapsed));
        else await console.Out.WriteLineAsync(Summary(totals, settings, elapsed, interrupted));
        await console.Out.FlushAsync(CancellationToken.None);
        return totals.FailedBatches > 0 || interrupted ? Failed : 0;
    }

    private static ReplaySettings Validate(Arguments arguments)
    {
        if (!Uri.TryCreate(arguments.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
            throw new FormatException($"--endpoint: '{arguments.Endpoint}' is not a URL such as http://127.0.0.1:8080/v1/firehose");
        var missing = arguments.Files.FirstOrDefault(file => !File.Exists(file));
        if (missing is not null) throw new FormatException($"file not found: '{missing}'");
        var maxBody = ByteSize.Parse(arguments.BatchSize, "--batch-size", 1024, 64L << 20);
        if (arguments.Concurrency is < 1 or > 64) throw new FormatException($"--concurrency must be 1..64 (was {arguments.Concurrency})");
        if (arguments.Rate < 0 || double.IsNaN(arguments.Rate)) throw new FormatException("--rate must be 0 (as fast as possible) or more");
        if (arguments.MaxAttempts is < 1 or > 20) throw new FormatException($"--max-attempts must be 1..20 (was {arguments.MaxAttempts})");
        var format = FlowLogFormat.Default;
        if (arguments.Format is not null)
        {
            try
            {
                format = FlowLogFormat.Parse(arguments.Format);
            }
            catch (FlowLogFormatException e)
            {
                throw new FormatException($"invalid --format: {e.Message}");
            }
        }
        var accessKey = arguments.AccessKey ?? (Environment.GetEnvironmentVariable(AccessKeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
        return new ReplaySettings(endpoint, accessKey, arguments.SourceArn, (int)maxBody, arguments.Gzip, arguments.Concurrency,
            arguments.Rate, format, arguments.MaxAttempts);
    }

    private static async Task ShowProgressAsync(IAnsiConsole ansi, Task run, ReplayTotals totals, string[] files)
    {
        var inputBytes = files.Sum(file => new FileInfo(file).Length);
        await ansi.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("replaying", maxValue: Math.Max(1, inputBytes));
                while (!run.IsCompleted)
                {
                    task.Value = Math.Min(totals.InputBytesDone, inputBytes);
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"{totals.RecordsSent:N0} records, {totals.Retries:N0} retries, {totals.FailedBatches:N0} failed");
                    await Task.WhenAny(run, Task.Delay(100, CancellationToken.None));
                }
                task.Value = task.MaxValue;
                await run;
            });
    }

    private static string Summary(ReplayTotals totals, ReplaySettings settings, TimeSpan elapsed, bool interrupted)
    {
        var c = CultureInfo.InvariantCulture;
        var undelivered = totals.FailedRecords > 0 ? string.Create(c, $" ({totals.FailedRecords:N0} records not delivered)") : "";
        return string.Create(c,
            $"{(interrupted ? "Interrupted: sent" : "Sent")} {totals.RecordsSent:N0} records in {totals.BatchesSent:N0} batches " +
            $"({ByteSize.Format(totals.BytesSent)}{(settings.Gzip ? " gzip'd" : "")}) to {settings.Endpoint} in {elapsed.TotalSeconds:0.0} s: " +
            $"{totals.RecordsPerSecond(elapsed):N0} records/s; {totals.Retries:N0} retries, {totals.FailedBatches:N0} failed batches{undelivered}.");
    }
}
