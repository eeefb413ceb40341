using FlowMesh.Alerts;
using FlowMesh.Grains.Alerting;
using FlowMesh.Ingest;
using FlowMesh.Ingest.Pipeline;
using FlowMesh.Query;
using FlowMesh.Server.Cluster;
using FlowMesh.Server.Demo;
using FlowMesh.Server.Hosting;
using FlowMesh.ServiceDefaults;
using Microsoft.Extensions.Options;

try
{
    // Content root = the application's folder, so appsettings.json applies however the server is
    // started (dotnet run, `dotnet path/flowmesh-server.dll` from any directory, a container).
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = ServerCommandLine.Normalize(args),
        ContentRootPath = AppContext.BaseDirectory,
    });
    var roles = ServerRoleParser.Parse(builder.Configuration[ServerRoleParser.ConfigurationKey]);
    var listen = ServerListenSettings.From(builder.Configuration);

    builder.AddServiceDefaults();
    builder.AddFlowMeshShutdown();
    builder.AddFlowMeshCluster(roles);
    // Every role reads FlowMesh:Alerts: ingest evaluates rule filters per flush, the silo keeps
    // periods and alarm states (and posts webhooks), query lists and streams them.
    if (roles.HasFlag(ServerRoles.Silo))
        builder.Services.AddFlowMeshAlertGrains();
    else
        builder.Services.AddFlowMeshAlertRules();
    if (roles.HasFlag(ServerRoles.Ingest))
    {
        builder.AddFlowMeshIngest();
        builder.Services.AddDeliveryPipeline();
    }
    if (roles.HasFlag(ServerRoles.Query))
        builder.AddFlowMeshQuery();
    builder.AddFlowMeshDemo(roles);
    builder.Services.AddSingleton(listen);
    builder.WebHost.ConfigureFlowMeshListeners(listen, roles);

    var app = builder.Build();
    app.MapDefaultEndpoints();
    if (roles.HasFlag(ServerRoles.Ingest))
        app.MapFirehoseEndpoint();
    if (roles.HasFlag(ServerRoles.Query))
        app.MapFlowMeshQuery();
    app.MapGrainMemoryProbe(roles);
    app.LogEndpointsOnStart(listen, roles);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    // A setting is missing or wrong: say which and how to fix it, without a stack trace.
    await Console.Error.WriteLineAsync($"flowmesh-server: invalid configuration: {string.Join(" ", ex.Failures)}");
    return 2;
}
