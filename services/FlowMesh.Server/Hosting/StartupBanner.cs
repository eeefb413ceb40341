using FlowMesh.Ingest.Firehose;
using FlowMesh.Server.Cluster;
using Microsoft.Extensions.Options;

namespace FlowMesh.Server.Hosting;

/// <summary>Tells the operator, once the host has started, where each endpoint listens.</summary>
public static class StartupBanner
{
    public static WebApplication LogEndpointsOnStart(this WebApplication app, ServerListenSettings listen, ServerRoles roles)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(listen);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FlowMesh.Server");
            var http = listen.Url(listen.HttpPort);
            ServerLog.Started(logger, ServerRoleParser.Format(roles));
            if (roles.HasFlag(ServerRoles.Ingest))
                ServerLog.FirehoseEndpoint(logger, http + app.Services.GetRequiredService<IOptions<IngestOptions>>().Value.Path);
            if (roles.HasFlag(ServerRoles.Query))
                ServerLog.QueryPort(logger, listen.Url(listen.QueryPort));
            ServerLog.Health(logger, http);
        });
        return app;
    }
}
