using CallFunctions.Calls;

namespace CallFunctions.Notifications;

public static class NotificationsApi
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton<InFlight>();
        services.AddHostedService(sp => sp.GetRequiredService<InFlight>());
        services.AddSingleton<RecentCalls>();
        services.AddSingleton<CallScreener>();
        services.AddSingleton<NotificationBatch>();
        return services;
    }
}
