using System.CommandLine;
using System.Globalization;
using FlowMesh.Cli.Querying;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Cli.Commands;

/// <summary>
/// <c>flowmesh ingest-errors [--limit 20] [--json]</c>: malformed records the ingest role counted
/// (by Firehose stream and reason) and the latest examples with line, field and offending text.
/// </summary>
internal static class IngestErrorsCommand
{
    public static Command Create(CliConsole console)
    {
        var limit = new Option<uint?>("--limit", "-n") { Description = "Latest examples to show, 1..1000 (default 20)." };
        var server = QueryVerb.ServerOption();
        var json = QueryVerb.JsonOption();
        var command = new Command("ingest-errors", "Show malformed flow-log records counted by the ingest role, and the latest examples.") { limit, server, json };
        command.SetAction((parseResult, cancellationToken) => QueryVerb.RunAsync(console, "ingest-errors", parseResult.GetValue(server)!, async client =>
        {
            var errors = await client.GetIngestErrorsAsync(
                new V1.GetIngestErrorsRequest { Limit = parseResult.GetValue(limit) ?? 0 }, deadline: QueryVerb.Deadline(), cancellationToken: cancellationToken);
            if (parseResult.GetValue(json)) await console.Out.WriteLineAsync(QueryJson.Serialize(IngestErrorsJson.From(errors)));
            else await WriteTextAsync(console, errors);
            await console.Out.FlushAsync(cancellationToken);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static async Task WriteTextAsync(CliConsole console, V1.IngestErrors errors)
    {
        var ci = CultureInfo.InvariantCulture;
        await console.Out.WriteLineAsync(string.Create(ci, $"{errors.Total:N0} malformed records reported by {errors.IngestProcesses} ingest process(es)"));
        foreach (var c in errors.Counts)
            await console.Out.WriteLineAsync(string.Create(ci, $"  {c.Count,10:N0}  {c.Reason,-15} {c.Source}"));
        if (errors.Latest.Count > 0) await console.Out.WriteLineAsync("latest:");
        foreach (var e in errors.Latest)
        {
            var field = string.IsNullOrEmpty(e.Field) ? "" : $" field '{e.Field}'";
            await console.Out.WriteLineAsync(string.Create(ci,
                $"  {e.ReceivedAt.ToDateTimeOffset():u} {e.Source} request {e.RequestId} record {e.RecordIndex} line {e.LineNumber}: {e.Reason}{field}: {e.Message}"));
            await console.Out.WriteLineAsync($"      {e.Text}");
        }
    }
}

/// <summary>The --json shape of ingest-errors (snake_case, numbers as numbers, times ISO 8601 UTC).</summary>
internal sealed record IngestErrorsJson(long Total, int IngestProcesses, IReadOnlyList<IngestErrorCountJson> Counts, IReadOnlyList<IngestErrorExampleJson> Latest)
{
    public static IngestErrorsJson From(V1.IngestErrors e) => new(
        e.Total, e.IngestProcesses,
        [.. e.Counts.Select(c => new IngestErrorCountJson(c.Source, c.Reason, c.Count))],
        [.. e.Latest.Select(x => new IngestErrorExampleJson(
            x.ReceivedAt.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture), x.Source, x.RequestId, x.RecordIndex, x.LineNumber,
            x.Reason, string.IsNullOrEmpty(x.Field) ? null : x.Field, x.Message, x.Text))]);
}

internal sealed record IngestErrorCountJson(string Source, string Reason, long Count);

internal sealed record IngestErrorExampleJson(
    string ReceivedAt, string Source, string RequestId, int RecordIndex, int LineNumber, string Reason, string? Field, string Message, string Text);
