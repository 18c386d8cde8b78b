using CallFunctions.Auth;
using CallFunctions.Graph;
using CallFunctions.Operators.DashboardPage;
using CallFunctions.Operators.Explain;
using CallFunctions.Operators.Outcomes;
using CallFunctions.Operators.WhatIf;
using CallFunctions.Platform;
using CallFunctions.Records;
using CallFunctions.RuleTable;
using CallFunctions.Screening;
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
        .AddRecords()
        .AddOutcomes()
        .AddExplain()
        .AddWhatIf();

    /// <summary>What only the running functions need: Graph's token check, the Graph client, the pipeline of a call, the page.</summary>
    public static IServiceCollection AddWebhookWork(this IServiceCollection services) => services
        .AddAuth()
        .AddGraph()
        .AddReconciler()
        .AddScreening()
        .AddWebhook()
        .AddDashboard();
}
