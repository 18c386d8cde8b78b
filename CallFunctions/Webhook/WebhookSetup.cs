namespace CallFunctions.Webhook;

public static class WebhookSetup
{
    /// <summary>The webhook's own part: the batch, its work in order, and the work that outlives a request.</summary>
    public static IServiceCollection AddWebhook(this IServiceCollection services)
    {
        services.AddSingleton<InFlight>();
        services.AddHostedService(sp => sp.GetRequiredService<InFlight>());
        services.AddSingleton<BatchWork>();
        services.AddSingleton<NotificationBatch>();
        return services;
    }
}
