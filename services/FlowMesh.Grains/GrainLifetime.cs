namespace FlowMesh.Grains;

/// <summary>
/// Aggregation grains keep their rolling hour in memory. A grain idle for longer than the
/// retained hour (plus the future tolerance) holds no live bucket any more, so deactivating it
/// then loses nothing; before that, deactivation would drop data still inside a window.
/// </summary>
internal static class GrainLifetime
{
    public const int IdleMinutes = 65;
}
