using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using FlowMesh.Contracts.V1;
using FlowMesh.FlowLogs;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace FlowMesh.EndToEnd.Tests;

/// <summary>
/// One real server; a stream subscriber opened before anything is ingested; 20,000 records from
/// <c>flowmesh generate</c> delivered by <c>flowmesh replay</c> (gzip, 4 requests in flight);
/// and the file's exact answers computed independently.
/// </summary>
public sealed class ReplayScenario : IAsyncLifetime
{
    public const int Records = 20_000;
    public static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory = Directory.CreateTempSubdirectory("flowmesh-e2e-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private AsyncServerStreamingCall<TopContributorsUpdate>? _stream;
    private Task? _streamReader;

    internal ServerProcess Server { get; private set; } = null!;

    internal FlowLogFileFacts Expected { get; private set; } = null!;

    internal CliResult Replay { get; private set; } = null!;

    /// <summary>Every update of the subscription opened before the replay, in arrival order.</summary>
    internal Channel<TopContributorsUpdate> StreamUpdates { get; } = Channel.CreateUnbounded<TopContributorsUpdate>();

    /// <summary>The query every check uses: all scope, source addresses by bytes, last 60 minutes, top 10.</summary>
    internal static TopContributorsRequest TopSourcesByBytes() => new()
    {
        Scope = new Scope { All = new Empty() },
        Dimension = Dimension.SourceAddress,
        Metric = Metric.Bytes,
        Window = Window.SixtyMinutes,
        Limit = 10,
    };

    public async ValueTask InitializeAsync()
    {
        var accessKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        Server = ServerProcess.Start(accessKey);
        await Server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        // The subscriber is open (it has its first, empty snapshot) before anything is ingested.
        _stream = Server.QueryClient.StreamTopContributors(
            new StreamTopContributorsRequest { Query = TopSourcesByBytes(), UpdateInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(200)) },
            cancellationToken: _stop.Token);
        using (var first = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            first.CancelAfter(TimeSpan.FromSeconds(10));
            if (!await _stream.ResponseStream.MoveNext(first.Token)) throw new InvalidOperationException("the stream ended before its first update");
            await StreamUpdates.Writer.WriteAsync(_stream.ResponseStream.Current, first.Token);
        }
        _streamReader = ReadStreamAsync(_stream);

        var file = Path.Combine(_directory, "generated.log");
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var generate = await CliProcess.RunAsync(ProcessTimeout, "generate", "--records", Records.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--seed", "42", "--start", start, "--output", file);
        if (generate.ExitCode != 0) throw new InvalidOperationException($"flowmesh generate failed: {generate}");
        Expected = FlowLogFileFacts.Read(file, FlowLogFormat.Default);

        Replay = await CliProcess.RunAsync(ProcessTimeout, "replay", file, "--endpoint", Server.FirehoseEndpoint, "--access-key", accessKey,
            "--gzip", "--concurrency", "4", "--json");
    }

    /// <summary>The replay's one JSON summary object.</summary>
    internal JsonElement ReplaySummary()
    {
        using var document = JsonDocument.Parse(Replay.Output);
        return document.RootElement.Clone();
    }

    private async Task ReadStreamAsync(AsyncServerStreamingCall<TopContributorsUpdate> stream)
    {
        try
        {
            await foreach (var update in stream.ResponseStream.ReadAllAsync(_stop.Token))
                await StreamUpdates.Writer.WriteAsync(update, _stop.Token);
            StreamUpdates.Writer.TryComplete();
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException)
        {
            StreamUpdates.Writer.TryComplete(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_streamReader is not null) await _streamReader;
        _stream?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
