namespace FlowMesh.Server.Demo;

/// <summary>
/// Demo mode (configuration section <c>FlowMesh:Demo</c>; <c>--demo</c> sets <see cref="Enabled"/>):
/// the server feeds itself realistic synthetic flow logs through its own Firehose endpoint.
/// </summary>
public sealed class DemoOptions
{
    public const string SectionName = "FlowMesh:Demo";

    /// <summary>Feed synthetic traffic into this process's ingest role.</summary>
    public bool Enabled { get; set; }

    /// <summary>Flow records generated per second (spread over <see cref="BatchInterval"/> ticks).</summary>
    public int RecordsPerSecond { get; set; } = 2_000;

    /// <summary>Seed of the synthetic estate and traffic: the same seed builds the same VPCs, ENIs and clients.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Multiplies the estate's interfaces and internet clients (1 = dozens of ENIs, ~2,000 clients).</summary>
    public int Scale { get; set; } = 1;

    /// <summary>How often a delivery is posted; small so new traffic shows up within a second or two.</summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
