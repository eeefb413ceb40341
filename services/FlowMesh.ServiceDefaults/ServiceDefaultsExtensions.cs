using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FlowMesh.ServiceDefaults;

/// <summary>OpenTelemetry, health checks and the shared endpoints every FlowMesh role gets (model: eShop ServiceDefaults).</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Set to a collector URL (e.g. http://otel-collector:4317) to export traces, metrics and logs over OTLP.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Adds OpenTelemetry (traces, metrics, logs; OTLP when configured; Prometheus) and health checks.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureOpenTelemetry();
        builder.Services.AddHealthChecks();
        return builder;
    }

    private static void ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(FlowMeshTelemetry.Wildcard)
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(FlowMeshTelemetry.Wildcard)
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    // Probes and scrapes arrive every few seconds; tracing them buries the real requests.
                    aspNetCore.Filter = context => !IsInfrastructurePath(context.Request.Path)));

        // The exporter is only added when a collector is configured: with no endpoint it would
        // retry against localhost:4317 forever and log connection errors.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
            telemetry.UseOtlpExporter();
    }

    /// <summary>Maps /health/live, /health/ready and the Prometheus scrape endpoint /metrics.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks(HealthEndpoints.LivePath, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(HealthEndpoints.ReadyPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthEndpoints.ReadyTag),
        });
        app.MapPrometheusScrapingEndpoint(HealthEndpoints.MetricsPath);
        return app;
    }

    private static bool IsInfrastructurePath(PathString path) =>
        path.StartsWithSegments(HealthEndpoints.LivePath)
        || path.StartsWithSegments(HealthEndpoints.ReadyPath)
        || path.StartsWithSegments(HealthEndpoints.MetricsPath);
}
