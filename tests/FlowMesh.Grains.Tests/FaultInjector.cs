using System.Collections.Concurrent;

namespace FlowMesh.Grains.Tests;

/// <summary>Makes the next Apply call to chosen grain keys fail, inside the real silo.</summary>
public sealed class FaultInjector
{
    private readonly ConcurrentDictionary<string, int> _failures = new();

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

/// <summary>An incoming call filter: the grain call really fails on the silo side, as a crash would.</summary>
internal sealed class FaultInjectionFilter(FaultInjector faults) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.Name == nameof(IFlowViewGrain.ApplyAsync)
            && context.TargetId.Key.ToString() is { } key
            && faults.ShouldFail(key))
        {
            throw new InvalidOperationException($"Injected failure applying to grain {key}");
        }
        return context.Invoke();
    }
}
