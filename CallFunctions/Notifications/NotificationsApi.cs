using CallFunctions.Calls;

namespace CallFunctions.Notifications;

public static class NotificationsApi
{
    public const string Route = "/api/calls";

    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton<InFlight>();
        services.AddHostedService(sp => sp.GetRequiredService<InFlight>());
        services.AddSingleton<RecentCalls>();
        services.AddSingleton<CallScreener>();
        services.AddSingleton<NotificationBatch>();
        return services;
    }

    /// <summary>The bot's calling webhook: every notification of every call.</summary>
    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, (HttpContext http, NotificationBatch batch, CancellationToken ct) =>
            batch.HandleAsync(http, terminationsOnly: false, ct));
        return app;
    }
}
