using CallFunctions.Platform.Performance;

namespace CallFunctions.Webhook;

public static class WebhookSetup
{
    /// <summary>The webhook's own part: the handler, and the work that outlives a request.</summary>
    public static IServiceCollection AddWebhook(this IServiceCollection services)
    {
        services.AddSingleton<BurstCollection>();
        services.AddSingleton<InFlight>();
        services.AddHostedService(sp => sp.GetRequiredService<InFlight>());
        services.AddSingleton<WebhookHandler>();
        return services;
    }
}
