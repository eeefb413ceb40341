using System.Collections.Concurrent;

namespace FlowMesh.Grains.Tests;

/// <summary>Makes the next Apply call to chosen grain keys fail, or wait, inside the real silo.</summary>
public sealed class FaultInjector
{
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private readonly ConcurrentDictionary<string, ApplyHold> _holds = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FlowDelta>> _recorded = new();

    /// <summary>From now on, every FlowDelta that reaches <paramref name="grainKey"/>'s Apply is added to the returned queue, in arrival order.</summary>
    public ConcurrentQueue<FlowDelta> RecordApplies(string grainKey) => _recorded[grainKey] = new ConcurrentQueue<FlowDelta>();

    public void Observe(string grainKey, object? argument)
    {
        if (argument is FlowDelta delta && _recorded.TryGetValue(grainKey, out var queue)) queue.Enqueue(delta);
    }

    /// <summary>
    /// The next Apply call to <paramref name="grainKey"/> enters the grain (the call is in progress, holding
    /// the activation for non-interleaving calls) and then waits until the hold is released.
    /// </summary>
    public ApplyHold HoldNextApply(string grainKey) => _holds[grainKey] = new ApplyHold();

    public ApplyHold? TakeHold(string grainKey) => _holds.TryRemove(grainKey, out var hold) ? hold : null;

    public void FailNextApply(string grainKey, int times = 1) => _failures[grainKey] = times;

    public bool ShouldFail(string grainKey)
    {
        while (_failures.TryGetValue(grainKey, out var left) && left > 0)
        {
            if (_failures.TryUpdate(grainKey, left - 1, left)) return true;
        }
        return false;
    }
}

public sealed class ApplyHold
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the held call is inside the grain.</summary>
    public Task Entered => _entered.Task;

    public void Release() => _released.TrySetResult();

    internal async Task WaitAsync()
    {
        _entered.TrySetResult();
        await _released.Task;
    }
}

/// <summary>An incoming call filter: the grain call really fails on the silo side, as a crash would.</summary>
internal sealed class FaultInjectionFilter(FaultInjector faults) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.Name == nameof(IFlowViewGrain.ApplyAsync) && context.TargetId.Key.ToString() is { } key)
        {
            faults.Observe(key, context.Request.GetArgument(0));
            if (faults.ShouldFail(key)) throw new InvalidOperationException($"Injected failure applying to grain {key}");
            if (faults.TakeHold(key) is { } hold) await hold.WaitAsync();
        }
        await context.Invoke();
    }
}
