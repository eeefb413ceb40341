using System.Diagnostics.Metrics;
using FlowMesh.Ingest.Firehose;
using Microsoft.Extensions.DependencyInjection;

namespace FlowMesh.Ingest.Tests;

/// <summary>
/// At most FlowMesh:Ingest:MaxConcurrentDecodes bodies are decoded at once: a request that finds
/// every slot taken waits (observed through the flowmesh.ingest.decode_waiting metric, not a timer),
/// decodes nothing meanwhile, is applied exactly once the slot is free, and frees its place when
/// its caller leaves.
/// </summary>
public sealed class FirehoseDecodeSlotsTests
{
    private static readonly Dictionary<string, string?> OneSlot = new() { ["FlowMesh:Ingest:MaxConcurrentDecodes"] = "1" };

    [Fact]
    public async Task Post_WhileTheOnlyDecodeSlotIsTaken_WaitsUndecodedThenIsAppliedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await IngestTestServer.StartAsync(OneSlot);
        using var waiting = new WaitingRecorder(server.Services.GetRequiredService<IMeterFactory>());
        var slots = server.Services.GetRequiredService<DecodeSlots>();
        Assert.Equal(1, slots.Limit);
        var lines = ExpectedRecords.SampleLines();
        var body = FirehoseRequests.Body("req-queued", [.. lines.Select(FirehoseRequests.Wrapped)]);

        var held = await slots.EnterAsync(ct);
        var post = FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-queued", body, gzip: true), 200, "req-queued");
        await waiting.FirstAsync(1, ct);

        Assert.Equal(1, slots.Waiting);
        Assert.False(post.IsCompleted);
        Assert.Equal(0, Assert.Single(server.Pipeline.Batches).Records);
        Assert.Empty(server.Pipeline.Committed);

        held.Dispose();
        await post;
        var batch = Assert.Single(server.Pipeline.Committed);
        ExpectedRecords.AssertAll(lines, batch.RecordList);
        Assert.Equal(0, slots.Waiting);
        var changes = await waiting.FirstAsync(2, ct);
        Assert.Equal(new long[] { +1, -1 }, changes);
    }

    [Fact]
    public async Task Post_CallerLeavesWhileWaitingForADecodeSlot_NothingIsAppliedAndTheSlotStaysUsable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await IngestTestServer.StartAsync(OneSlot);
        using var waiting = new WaitingRecorder(server.Services.GetRequiredService<IMeterFactory>());
        var slots = server.Services.GetRequiredService<DecodeSlots>();
        var lines = ExpectedRecords.SampleLines();
        var body = FirehoseRequests.Body("req-left", [.. lines.Select(FirehoseRequests.Wrapped)]);

        var held = await slots.EnterAsync(ct);
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var abandoned = server.Client.SendAsync(FirehoseRequests.Post("req-left", body), leave.Token);
        await waiting.FirstAsync(1, ct);
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        // The server sees the connection close, stops waiting and leaves the queue.
        var changes = await waiting.FirstAsync(2, ct);
        Assert.Equal(new long[] { +1, -1 }, changes);
        held.Dispose();

        // With one slot, a leaked slot would leave this request waiting until the test times out.
        var next = FirehoseRequests.Body("req-next", [.. lines.Select(FirehoseRequests.Wrapped)]);
        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-next", next), 200, "req-next");
        var batch = Assert.Single(server.Pipeline.Committed);
        Assert.Equal("req-next", batch.RequestId);
        ExpectedRecords.AssertAll(lines, batch.RecordList);
        Assert.Equal(0, server.Pipeline.Batches.Single(b => b.RequestId == "req-left").Records);
        Assert.Equal(0, slots.Waiting);
    }

    [Fact]
    public void EffectiveMaxConcurrentDecodes_ZeroMeansHalfTheProcessorsAtLeastOne_ElseTheSetting()
    {
        Assert.Equal(3, new IngestOptions { MaxConcurrentDecodes = 3 }.EffectiveMaxConcurrentDecodes);
        var automatic = new IngestOptions().EffectiveMaxConcurrentDecodes;
        Assert.Equal(Environment.ProcessorCount == 1 ? 1 : Environment.ProcessorCount / 2, automatic);
    }

    /// <summary>Every change of this server's decode_waiting counter, in order, each with a task that completes when it arrives.</summary>
    private sealed class WaitingRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<long> _changes = [];

        public WaitingRecorder(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == IngestMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory)
                    && instrument.Name == "flowmesh.ingest.decode_waiting")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
            {
                int index;
                lock (_changes)
                {
                    _changes.Add(value);
                    index = _changes.Count - 1;
                }
                if (index < Changes.Length) Changes[index].TrySetResult(value);
            });
            _listener.Start();
        }

        public TaskCompletionSource<long>[] Changes { get; } =
            [.. Enumerable.Range(0, 8).Select(_ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously))];

        /// <summary>The first <paramref name="count"/> changes; fails (TimeoutException) if they do not come within 30 s.</summary>
        public async Task<long[]> FirstAsync(int count, CancellationToken cancellationToken)
        {
            var values = new long[count];
            for (var i = 0; i < count; i++) values[i] = await Changes[i].Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return values;
        }

        public void Dispose() => _listener.Dispose();
    }
}
