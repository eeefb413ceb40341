using System.Threading.Channels;
using Grpc.Core;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Alerts.EndToEnd.Tests;

/// <summary>A StreamAlerts subscription read in the background; tests take its updates in order.</summary>
public sealed class AlertSubscription : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<V1.AlertUpdate> _updates = Channel.CreateUnbounded<V1.AlertUpdate>();
    private readonly AsyncServerStreamingCall<V1.AlertUpdate> _call;
    private readonly Task _reader;

    private AlertSubscription(AsyncServerStreamingCall<V1.AlertUpdate> call)
    {
        _call = call;
        _reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var update in _call.ResponseStream.ReadAllAsync(_stop.Token)) _updates.Writer.TryWrite(update);
                _updates.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                _updates.Writer.TryComplete(ex);
            }
        });
    }

    /// <summary>Opens the stream and reads up to its caught-up marker; returns the stream and the active alarms it listed.</summary>
    public static async Task<(AlertSubscription Stream, List<V1.AlertEvent> Active)> OpenAsync(V1.FlowMeshQuery.FlowMeshQueryClient client, ulong afterSequence = 0)
    {
        var stream = new AlertSubscription(client.StreamAlerts(new V1.StreamAlertsRequest { AfterSequence = afterSequence }));
        var active = new List<V1.AlertEvent>();
        while (true)
        {
            var update = await stream.NextUpdateAsync();
            if (update.Kind == V1.AlertUpdate.Types.Kind.CaughtUp) return (stream, active);
            Assert.Equal(V1.AlertUpdate.Types.Kind.Active, update.Kind);
            active.Add(update.Event);
        }
    }

    /// <summary>The next transition (fails after 30 s: the stream must deliver it well within that).</summary>
    public async Task<V1.AlertEvent> NextAsync()
    {
        var update = await NextUpdateAsync();
        Assert.Equal(V1.AlertUpdate.Types.Kind.Transition, update.Kind);
        return update.Event;
    }

    /// <summary>Transitions already received and not taken.</summary>
    public List<V1.AlertEvent> Pending()
    {
        var pending = new List<V1.AlertEvent>();
        while (_updates.Reader.TryRead(out var update)) pending.Add(update.Event);
        return pending;
    }

    private async Task<V1.AlertUpdate> NextUpdateAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Wait);
        return await _updates.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _call.Dispose();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
