namespace FlowMesh.Query.Tests;

/// <summary>Waits for a condition the server reaches asynchronously (a poller stopping), checking it often, for a bounded time.</summary>
internal static class PollerWait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan bound, string what)
    {
        var deadline = DateTime.UtcNow + bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {bound.TotalSeconds:0} s waiting for {what}");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
