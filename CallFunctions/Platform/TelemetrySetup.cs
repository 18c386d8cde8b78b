using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CallFunctions.Platform;

public static class TelemetrySetup
{
    /// <summary>
    /// Traces, metrics and logs go to Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set; otherwise no
    /// exporter runs at all (the meters and activity source still serve in-process listeners).
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddSingleton<CallMetrics>();
        var connectionString = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        if (string.IsNullOrWhiteSpace(connectionString)) return services;

        // Every call is worth its trace at a phone line's volume, and logs of an unsampled trace would be dropped too.
        void Configure(AzureMonitorExporterOptions o)
        {
            o.ConnectionString = connectionString;
            o.SamplingRatio = 1.0F;
            o.TracesPerSecond = null;
        }

        // The worker's defaults make each invocation's span a child of the host's, so one notification is one trace.
        services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing
                .AddSource(CallMetrics.Name)
                .AddHttpClientInstrumentation()
                .AddAzureMonitorTraceExporter(Configure))
            .WithMetrics(metrics => metrics
                .AddMeter(CallMetrics.Name)
                .AddHttpClientInstrumentation()
                .AddAzureMonitorMetricExporter(Configure))
            .WithLogging(
                logging => logging.AddAzureMonitorLogExporter(Configure),
                options => options.IncludeScopes = true);
        return services;
    }
}
