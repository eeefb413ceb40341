namespace FlowMesh.Alerts;

/// <summary>
/// The clock alert periods are measured on (arrival time), separate from the clock the aggregation
/// grains use for event-time buckets, so a test can step alert periods without moving anything else.
/// </summary>
public sealed class AlertClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time ?? throw new ArgumentNullException(nameof(time));

    public DateTimeOffset Now => Time.GetUtcNow();
}
