using FlowMesh.Ingest;
using FlowMesh.Ingest.Pipeline;
using FlowMesh.Server.Cluster;
using FlowMesh.Server.Hosting;
using FlowMesh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(ServerCommandLine.Normalize(args));
var roles = ServerRoleParser.Parse(builder.Configuration[ServerRoleParser.ConfigurationKey]);
var listen = ServerListenSettings.From(builder.Configuration);

builder.AddServiceDefaults();
builder.AddFlowMeshCluster(roles);
if (roles.HasFlag(ServerRoles.Ingest))
{
    builder.AddFlowMeshIngest();
    builder.Services.AddDeliveryPipeline();
}
builder.WebHost.ConfigureFlowMeshListeners(listen, roles);

var app = builder.Build();
app.MapDefaultEndpoints();
if (roles.HasFlag(ServerRoles.Ingest))
    app.MapFirehoseEndpoint();
app.LogEndpointsOnStart(listen, roles);
app.Run();
