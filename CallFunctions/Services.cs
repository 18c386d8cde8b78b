using CallFunctions.Auth;
using CallFunctions.Calls;
using CallFunctions.Diagnostics;
using CallFunctions.Explain;
using CallFunctions.Notifications;
using CallFunctions.Outcomes;
using CallFunctions.Rules;
using CallFunctions.Storage;
using CallFunctions.Telemetry;

namespace CallFunctions;

/// <summary>The one registration of what the functions and the operator's tools share.</summary>
public static class Services
{
    public static IServiceCollection AddCallFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => ShiftedClock.From(configuration));
        services.AddTelemetry(configuration);
        services.AddStorage();
        services.AddRules();
        services.AddOutcomes();
        services.AddSingleton<CallExplainer>();
        return services;
    }

    /// <summary>What only the running webhook needs: token checks, Graph, the work that outlives a request.</summary>
    public static IServiceCollection AddWebhookWork(this IServiceCollection services)
    {
        services.AddAuth();
        services.AddCalls();
        services.AddNotifications();
        services.AddSingleton<ExplainApi>();
        services.AddSingleton<OutcomesApi>();
        services.AddSingleton<HealthApi>();
        services.AddHostedService<WarmUp>();
        return services;
    }
}
