namespace CallFunctions.Screening;

public static class ScreeningSetup
{
    public static IServiceCollection AddScreening(this IServiceCollection services)
    {
        services.AddSingleton<RecentCalls>();
        services.AddSingleton<KnownCalls>();
        services.AddSingleton<CallActions>();
        services.AddSingleton<CallScreener>();
        return services;
    }
}
