namespace CallFunctions.Screening;

public static class ScreeningSetup
{
    public static IServiceCollection AddScreening(this IServiceCollection services)
    {
        services.AddSingleton<CallScreener>();
        services.AddSingleton<ChallengeFlow>();
        return services;
    }
}
