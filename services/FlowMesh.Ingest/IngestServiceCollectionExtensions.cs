using FlowMesh.Ingest.Firehose;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlowMesh.Ingest;

/// <summary>Registers and maps the ingest role (the Firehose HTTP endpoint).</summary>
public static class IngestServiceCollectionExtensions
{
    /// <summary>
    /// Adds the ingest role's options (validated at start: an access key is required unless
    /// <c>FlowMesh:Ingest:AllowInsecureNoAccessKey</c> is set), the malformed-record log, decoder
    /// pools and metrics. The <see cref="Pipeline.IDeliveryPipeline"/> comes from the cluster wiring.
    /// </summary>
    public static IHostApplicationBuilder AddFlowMeshIngest(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IngestMetrics>();
        services.TryAddSingleton<MalformedRecordLog>();
        services.TryAddSingleton<MalformedRecordPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<MalformedRecordPublisher>());
        services.TryAddSingleton<AccessKeyVerifier>();
        services.TryAddSingleton<LogFormatResolver>();
        services.TryAddSingleton<PayloadDecoderPool>();
        services.TryAddSingleton<DecodeSlots>();
        services.TryAddSingleton<FirehoseEndpoint>();
        services.AddHostedService<InsecureAccessKeyWarning>();
        return builder;
    }

    /// <summary>
    /// Maps the Firehose endpoint (<c>FlowMesh:Ingest:Path</c>, default <c>/v1/firehose</c>) on the
    /// ingest port only (<c>FlowMesh:Ingest:Port</c>; with port 0, "any free port", there is no
    /// restriction), so the gRPC port does not serve it. Every method is routed here so that
    /// a non-POST gets the Firehose-shaped 405 body. Do not put response compression in front of
    /// it: Firehose rejects a compressed response (spec §1.4).
    /// </summary>
    public static IEndpointConventionBuilder MapFirehoseEndpoint(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<IngestOptions>>().Value;
        var endpoint = endpoints.ServiceProvider.GetRequiredService<FirehoseEndpoint>();
        var route = endpoints.Map(options.Path, endpoint.HandleAsync).WithDisplayName("Firehose HTTP endpoint");
        if (options.Port != 0)
            route.RequireHost($"*:{options.Port}");
        return route;
    }

    private sealed class InsecureAccessKeyWarning(AccessKeyVerifier accessKeys, ILogger<InsecureAccessKeyWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (accessKeys.AllowsAnyRequest)
                IngestLog.InsecureNoAccessKey(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
