using Microsoft.Extensions.Hosting;

namespace FlowMesh.Query;

/// <summary>
/// Ends open streams as soon as the host starts stopping: a server stream otherwise keeps its
/// request alive, and Kestrel would wait out its whole shutdown timeout before aborting it.
/// </summary>
internal sealed class StreamHubShutdown(TopContributorsStreamHub hub, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(hub.BeginShutdown);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await hub.DisposeAsync();
}
