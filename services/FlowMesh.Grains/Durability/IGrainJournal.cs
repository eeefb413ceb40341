namespace FlowMesh.Grains.Durability;

/// <summary>
/// An append-only log per grain of the changes it acknowledged, replayed when the grain is
/// activated again (after its silo died, a graceful hand-off or idle collection). A grain appends
/// before it changes its memory and before it answers, so whatever a caller saw acknowledged is
/// in the journal; entries older than the retention the grain passes are trimmed, because the
/// grain's state is a function of the last hour of changes only.
/// </summary>
public interface IGrainJournal
{
    /// <summary>True when entries survive the process (a real store); false for <see cref="NoGrainJournal"/>.</summary>
    bool IsDurable { get; }

    /// <summary>Appends one entry and drops entries older than <paramref name="retention"/>; completes once the entry is stored.</summary>
    ValueTask AppendAsync<T>(GrainId grain, T entry, TimeSpan retention);

    /// <summary>The grain's entries, oldest first.</summary>
    Task<IReadOnlyList<T>> ReadAsync<T>(GrainId grain, CancellationToken cancellationToken);
}

/// <summary>No journal: state lives in memory only (the embedded single-process default).</summary>
public sealed class NoGrainJournal : IGrainJournal
{
    public static NoGrainJournal Instance { get; } = new();

    public bool IsDurable => false;

    public ValueTask AppendAsync<T>(GrainId grain, T entry, TimeSpan retention) => ValueTask.CompletedTask;

    public Task<IReadOnlyList<T>> ReadAsync<T>(GrainId grain, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<T>>([]);
}
