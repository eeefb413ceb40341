using System.Diagnostics;
using FlowMesh.FlowLogs;
using FlowMesh.Traffic;
using Grpc.Core;
using Grpc.Net.Client;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.QueryLoad;

/// <summary>What the query-side probe needs: where to query and where to deliver its freshness probes.</summary>
public sealed record QueryLoadOptions(Uri Query, Uri Ingest, string? AccessKey, int Streams, int Probes, Uri Metrics);

/// <summary>Latency figures in milliseconds (null when nothing was measured).</summary>
public sealed record LatencySummary(int Count, double? P50Ms, double? P99Ms, double? MaxMs);

/// <summary>
/// One run of the query-side probe: the open streams and their updates, unary latency, freshness,
/// the server's own view of the unary calls, and the flow records the freshness probes delivered
/// (acknowledged with 200), which a harness checking exact totals must expect too.
/// </summary>
public sealed record QueryLoadReport(
    int Streams, long StreamUpdates, LatencySummary Unary, LatencySummary Freshness, ServerSide? ServerSide,
    IReadOnlyList<FlowRecord> ProbeRecords, IReadOnlyList<(double CompletedUnixMs, double LatencyMs)> UnaryCalls);

/// <summary>
/// Query-side load while ingest is busy: <see cref="QueryLoadOptions.Streams"/> streams open on the
/// same top-10 (as dashboards do), unary <c>GetTopContributors</c> back to back, and freshness
/// probes: a record for a VPC of its own, POSTed while a stream watches that VPC; freshness is the
/// first update showing it minus the moment the 200 OK arrived.
/// </summary>
public static class QueryLoadProbe
{
    /// <summary>The format of the probes' lines: the default fields plus vpc-id, so each probe has a scope of its own.</summary>
    public static readonly FlowLogFormat ProbeFormat = FlowLogFormat.Parse(
        "${version} ${account-id} ${vpc-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}");

    /// <summary>
    /// Runs until <paramref name="measure"/> is cancelled: unary calls stop then, and no new freshness
    /// probe starts (one in flight finishes). Streams close before it returns.
    /// </summary>
    public static async Task<QueryLoadReport> RunAsync(QueryLoadOptions options, HttpClient http, CancellationToken measure)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var channel = GrpcChannel.ForAddress(options.Query, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        var client = new V1.FlowMeshQuery.FlowMeshQueryClient(channel);
        using var stop = new CancellationTokenSource();

        // 1. Open streams and count their updates.
        var streamUpdates = 0L;
        var streamRequest = new V1.StreamTopContributorsRequest
        {
            Query = new V1.TopContributorsRequest { Dimension = V1.Dimension.SourceAddress, Metric = V1.Metric.Bytes, Window = V1.Window.FiveMinutes, Limit = 10 },
            UpdateInterval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
        };
        var streams = Enumerable.Range(0, options.Streams).Select(async _ =>
        {
            try
            {
                using var call = client.StreamTopContributors(streamRequest, cancellationToken: stop.Token);
                await foreach (var update in call.ResponseStream.ReadAllAsync(stop.Token)) Interlocked.Increment(ref streamUpdates);
            }
            // Stopping aborts the HTTP/2 stream: grpc-dotnet reports that as Cancelled, or, when the abort
            // reaches a read first, as Unavailable ("The request was aborted"). Either is the end we asked for.
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled || stop.IsCancellationRequested) { }
            catch (OperationCanceledException) { }
        }).ToArray();

        // 2. Freshness probes, one after another.
        var firehose = new FirehoseClient(http, new FirehoseClientOptions
        {
            Endpoint = options.Ingest,
            AccessKey = options.AccessKey,
            CommonAttributes = new Dictionary<string, string> { ["flowmesh-log-format"] = ProbeFormat.ToFormatString() },
            MaxAttempts = 1,
        });
        var freshness = new List<double>();
        var delivered = new List<FlowRecord>();
        async Task ProbeFreshnessAsync()
        {
            for (var p = 0; p < options.Probes && !measure.IsCancellationRequested; p++)
            {
                var vpc = $"vpc-probe{Guid.NewGuid():N}"[..21];
                using var watch = client.StreamTopContributors(new V1.StreamTopContributorsRequest
                {
                    Query = new V1.TopContributorsRequest { Scope = new V1.Scope { VpcId = vpc }, Window = V1.Window.FiveMinutes },
                    UpdateInterval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(100)),
                }, cancellationToken: stop.Token);
                await watch.ResponseStream.MoveNext(stop.Token); // the first (empty) snapshot: subscribed
                var probe = Probe(vpc, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
                var batch = FirehoseBatchBuilder.Build([FlowRecordFormatter.FormatLine(in probe, ProbeFormat)], 1 << 20, gzip: false).Single();
                var result = await firehose.SendAsync(batch, stop.Token);
                var acknowledged = Stopwatch.GetTimestamp();
                if (!result.Succeeded) continue;
                lock (delivered) delivered.Add(probe);
                while (await watch.ResponseStream.MoveNext(stop.Token))
                {
                    if (watch.ResponseStream.Current.Snapshot.Totals.Flows < 1) continue;
                    lock (freshness) freshness.Add(Stopwatch.GetElapsedTime(acknowledged).TotalMilliseconds);
                    break;
                }
            }
        }

        var freshnessTask = Task.Run(async () =>
        {
            try
            {
                await ProbeFreshnessAsync();
            }
            // A probe still waiting for its update when the probe stops (30 s after the measured part)
            // is left unmeasured; it was delivered and is in the list if its 200 OK arrived.
            catch (RpcException e) when (stop.IsCancellationRequested && e.StatusCode is StatusCode.Cancelled or StatusCode.Unavailable) { }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        }, CancellationToken.None);

        // 3. Unary queries back to back, with the server's histogram read before and after.
        var serverBefore = await ServerLatency.ScrapeAsync(http, options.Metrics, CancellationToken.None);
        var unary = new List<(double CompletedUnixMs, double LatencyMs)>();
        var unaryRequest = new V1.TopContributorsRequest { Dimension = V1.Dimension.SourceAddress, Metric = V1.Metric.Bytes, Window = V1.Window.SixtyMinutes, Limit = 10 };
        while (!measure.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            await client.GetTopContributorsAsync(unaryRequest, cancellationToken: stop.Token);
            unary.Add(((DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        }
        // A probe in flight finishes; a stuck one is given 30 s.
        stop.CancelAfter(TimeSpan.FromSeconds(30));
        await freshnessTask;
        // The exporter caches a scrape for a moment: read until the server has counted every unary call
        // made (more if other clients queried meanwhile), or give up after a few seconds.
        var serverAfter = serverBefore;
        var counted = Stopwatch.StartNew();
        while (serverBefore is not null && counted.Elapsed < TimeSpan.FromSeconds(5))
        {
            serverAfter = await ServerLatency.ScrapeAsync(http, options.Metrics, CancellationToken.None);
            if (serverAfter is null || ServerLatency.Calls(serverAfter) - ServerLatency.Calls(serverBefore) >= unary.Count) break;
            await Task.Delay(100, CancellationToken.None);
        }
        var serverSide = serverBefore is not null && serverAfter is not null ? ServerLatency.Between(serverBefore, serverAfter) : null;
        await stop.CancelAsync();
        await Task.WhenAll(streams);

        return new QueryLoadReport(options.Streams, streamUpdates, Summarise([.. unary.Select(u => u.LatencyMs)], 2), Summarise(freshness, 1), serverSide, delivered, unary);
    }

    private static readonly FlowAddress ProbeSource = new(0, 0x0A630001, 4);      // 10.99.0.1
    private static readonly FlowAddress ProbeDestination = new(0, 0x0A630002, 4); // 10.99.0.2

    /// <summary>The probe's one record: 1 flow, 1 packet, 100 bytes, accepted, in a VPC of its own.</summary>
    private static FlowRecord Probe(string vpc, long now)
    {
        return new FlowRecord
        {
            Present = ProbeFormat.FieldSet,
            Version = 3, AccountId = "123456789012", VpcId = vpc, InterfaceId = "eni-0probe0000000000",
            SrcAddr = ProbeSource, DstAddr = ProbeDestination, SrcPort = 40000, DstPort = 443, Protocol = 6, Packets = 1, Bytes = 100,
            Start = now, End = now, Action = FlowAction.Accept, LogStatus = LogStatus.Ok,
        };
    }

    private static LatencySummary Summarise(List<double> values, int digits)
    {
        if (values.Count == 0) return new LatencySummary(0, null, null, null);
        var sorted = values.Order().ToArray();
        double At(double p) => Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], digits);
        return new LatencySummary(sorted.Length, At(0.50), At(0.99), Math.Round(sorted[^1], digits));
    }
}
