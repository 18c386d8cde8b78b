using CallFunctions.Auth;
using CallFunctions.Calls;
using CallFunctions.Credentials;
using CallFunctions.DashboardPage;
using CallFunctions.Diagnostics;
using CallFunctions.Explain;
using CallFunctions.Outcomes;
using CallFunctions.Replay;
using CallFunctions.Rules;
using CallFunctions.Screening;
using CallFunctions.Storage;
using CallFunctions.Telemetry;
using CallFunctions.Webhook;

namespace CallFunctions;

/// <summary>The features, registered once: the functions and the operator's tools share the first part.</summary>
public static class Services
{
    /// <summary>What the functions and the tools share: settings, tables, rules, records, explain and what-if.</summary>
    public static IServiceCollection AddCallFunctions(this IServiceCollection services, IConfiguration configuration) => services
        .AddClock(configuration)
        .AddAzureCredential()
        .AddTelemetry(configuration)
        .AddStorage()
        .AddRules()
        .AddOutcomes()
        .AddExplain()
        .AddWhatIf();

    /// <summary>What only the running functions need: Graph's token check, the Graph client, the pipeline of a call, the page.</summary>
    public static IServiceCollection AddWebhookWork(this IServiceCollection services) => services
        .AddAuth()
        .AddCalls()
        .AddScreening()
        .AddWebhook()
        .AddDashboard();
}
