using System.Reflection;
using FlowMesh.Grains;

namespace FlowMesh.Query.Tests;

/// <summary>A grain factory whose grains fail every call the way an unreachable cluster does, counting the calls.</summary>
public class FailingGrains : DispatchProxy
{
    private Func<Exception> _failure = () => new InvalidOperationException("not configured");

    private int _calls;

    /// <summary>Grain calls made (each one failed).</summary>
    public int Calls => Volatile.Read(ref _calls);

    public static (IGrainFactory Factory, FailingGrains State) Create(Func<Exception> failure)
    {
        var factory = Create<IGrainFactory, FailingGrains>();
        var state = (FailingGrains)(object)factory;
        state._failure = failure;
        return (factory, state);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IGrainFactory.GetGrain) && targetMethod.ReturnType == typeof(ILeaderboardGrain))
        {
            var grain = Create<ILeaderboardGrain, FailingGrains>();
            ((FailingGrains)(object)grain)._failure = () =>
            {
                Interlocked.Increment(ref _calls);
                return _failure();
            };
            return grain;
        }
        if (targetMethod.ReturnType == typeof(Task<long>)) return Task.FromException<long>(_failure());
        if (targetMethod.ReturnType == typeof(Task<TopContributorsSnapshot>)) return Task.FromException<TopContributorsSnapshot>(_failure());
        throw new NotSupportedException(targetMethod.Name);
    }
}
