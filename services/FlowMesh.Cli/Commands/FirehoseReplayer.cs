using System.Diagnostics;
using System.Threading.Channels;
using FlowMesh.FlowLogs;
using FlowMesh.Traffic;

namespace FlowMesh.Cli.Commands;

/// <summary>How <c>flowmesh replay</c> delivers.</summary>
internal sealed record ReplaySettings(
    Uri Endpoint, string? AccessKey, string SourceArn, int MaxBodyBytes, bool Gzip, int Concurrency, double Rate,
    FlowLogFormat DefaultFormat, int MaxAttempts);

/// <summary>
/// Sends flow-log files to a Firehose HTTP endpoint as Firehose would: one line per
/// <c>{"message": line}</c> record, bodies up to the batch size, the format as the
/// <c>flowmesh-log-format</c> common attribute when it is not the default, retries with back-off
/// and the same request id (<see cref="FirehoseClient"/>). One reader builds batches in file
/// order; <see cref="ReplaySettings.Concurrency"/> senders deliver them.
/// </summary>
internal sealed class FirehoseReplayer(HttpClient http, ReplaySettings settings, ReplayTotals totals)
{
    public const string LogFormatAttribute = "flowmesh-log-format";

    private readonly Dictionary<FlowLogFormat, FirehoseClient> _clients = [];

    public async Task RunAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(settings.Concurrency * 2) { SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var senders = Enumerable.Range(0, settings.Concurrency).Select(_ => Task.Run(() => SendAllAsync(queue.Reader, stop.Token), stop.Token)).ToArray();
        try
        {
            await Task.Run(() => ReadAllAsync(files, queue.Writer, stop.Token), stop.Token);
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(senders);
        }
    }

    private async Task ReadAllAsync(IReadOnlyList<string> files, ChannelWriter<Pending> queue, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        long queued = 0;
        // With a rate, a batch holds at most a quarter second of records so pacing stays smooth.
        var maxLinesPerBatch = (int)Math.Clamp(settings.Rate / 4, 1, FirehoseBatchBuilder.MaxRecordsPerRequest);
        foreach (var path in files)
        {
            using var file = FlowLogFileLines.Open(path, settings.DefaultFormat);
            var client = ClientFor(file.Format);
            var position = 0L;
            IEnumerable<IEnumerable<string>> chunks = settings.Rate > 0 ? file.Lines().Chunk(maxLinesPerBatch) : [file.Lines()];
            foreach (var chunk in chunks)
            {
                foreach (var batch in FirehoseBatchBuilder.Build(chunk, settings.MaxBodyBytes, settings.Gzip))
                {
                    if (settings.Rate > 0)
                    {
                        var due = TimeSpan.FromSeconds(queued / settings.Rate) - started.Elapsed;
                        if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
                    }
                    queued += batch.Records;
                    var read = file.Position;
                    await queue.WriteAsync(new Pending(batch, client, path, read - position), cancellationToken);
                    position = read;
                }
            }
        }
    }

    private async Task SendAllAsync(ChannelReader<Pending> queue, CancellationToken cancellationToken)
    {
        await foreach (var pending in queue.ReadAllAsync(cancellationToken))
        {
            var batch = pending.Batch;
            FirehoseSendResult result;
            try
            {
                result = await pending.Client.SendAsync(batch, cancellationToken);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient.Timeout: Firehose, too, gives up on an endpoint after 3 minutes.
                result = new FirehoseSendResult(batch.RequestId, 0, 1, http.Timeout, $"no response within {http.Timeout.TotalSeconds:0} s");
            }
            if (result.Succeeded)
            {
                totals.Delivered(batch.Records, batch.Body.Length, result.Retries, pending.InputBytes);
            }
            else
            {
                totals.Failed(new ReplayFailure(batch.RequestId, pending.File, batch.Records, result.StatusCode, result.Attempts,
                    result.ErrorMessage ?? $"HTTP {result.StatusCode}"), result.Retries, pending.InputBytes);
            }
        }
    }

    private FirehoseClient ClientFor(FlowLogFormat format)
    {
        if (_clients.TryGetValue(format, out var client)) return client;
        client = new FirehoseClient(http, new FirehoseClientOptions
        {
            Endpoint = settings.Endpoint,
            AccessKey = settings.AccessKey,
            SourceArn = settings.SourceArn,
            CommonAttributes = format == FlowLogFormat.Default ? null : new Dictionary<string, string> { [LogFormatAttribute] = format.ToFormatString() },
            MaxAttempts = settings.MaxAttempts,
        });
        _clients[format] = client;
        return client;
    }

    private sealed record Pending(FirehoseBatch Batch, FirehoseClient Client, string File, long InputBytes);
}
