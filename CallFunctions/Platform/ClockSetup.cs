namespace CallFunctions.Platform;

public static class ClockSetup
{
    /// <summary>The app's one clock: the system's, or a shifted one in Development (see <see cref="ShiftedClock"/>).</summary>
    public static IServiceCollection AddClock(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton(_ => ShiftedClock.From(configuration));
}
