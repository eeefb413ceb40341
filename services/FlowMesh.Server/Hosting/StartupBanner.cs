using FlowMesh.Ingest.Firehose;
using FlowMesh.Server.Cluster;
using FlowMesh.Server.Demo;
using Microsoft.Extensions.Options;

namespace FlowMesh.Server.Hosting;

/// <summary>Tells the operator, once the host has started, where each endpoint listens and what to run next.</summary>
public static class StartupBanner
{
    /// <summary>The CLI's default --server; the suggested commands name --server only when it differs.</summary>
    private const string CliDefaultServer = "http://127.0.0.1:50051";

    public static WebApplication LogEndpointsOnStart(this WebApplication app, ServerListenSettings listen, ServerRoles roles)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(listen);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FlowMesh.Server");
            var http = listen.Url(listen.HttpPort);
            var firehose = http + app.Services.GetService<IOptions<IngestOptions>>()?.Value.Path;
            ServerLog.Started(logger, ServerRoleParser.Format(roles));
            if (roles.HasFlag(ServerRoles.Ingest))
                ServerLog.FirehoseEndpoint(logger, firehose);
            ServerLog.Health(logger, http);
            if (GrainMemoryProbe.IsEnabled(app.Configuration, roles))
                ServerLog.GrainMemoryProbeEnabled(logger, http + GrainMemoryProbe.Path);
            if (roles.HasFlag(ServerRoles.Query))
            {
                var query = listen.LoopbackUrl(listen.QueryPort);
                ServerLog.QueryPort(logger, listen.Url(listen.QueryPort));
                ServerLog.NextCommands(logger, query == CliDefaultServer ? "" : $" --server {query}");
            }
            if (app.Services.GetService<DemoStartup>() is { } demo)
            {
                var endpoint = listen.LoopbackUrl(listen.HttpPort) + app.Services.GetRequiredService<IOptions<IngestOptions>>().Value.Path;
                if (demo.GeneratedAccessKey is { } key) ServerLog.DemoGeneratedAccessKey(logger, key, endpoint);
                else if (!app.Services.GetRequiredService<IOptions<IngestOptions>>().Value.AllowInsecureNoAccessKey)
                    ServerLog.DemoConfiguredAccessKey(logger, endpoint);
            }
        });
        return app;
    }
}
