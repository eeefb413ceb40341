using System.Text.Json;

namespace FlowMesh.EndToEnd.Tests;

/// <summary>Runtime settings the server ships with, read from the runtimeconfig.json the build writes beside it.</summary>
public sealed class ServerRuntimeConfigTests
{
    [Fact]
    public void TheServerCountsCallsForTieringFromItsStart_AndUsesServerGc()
    {
        // Without it a young server runs its hot paths as tier-0 code for seconds (README, "A young
        // server's tier-0 code"): 307-320 k records/s for a fresh server's first 4 M instead of 400-444 k.
        var path = Path.ChangeExtension(BuiltExecutables.Server, ".runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs", out var delay), $"{path} does not set the call counting delay");
        Assert.Equal(0, delay.GetInt32());
        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
    }
}
