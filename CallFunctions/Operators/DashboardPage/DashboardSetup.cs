namespace CallFunctions.Operators.DashboardPage;

public static class DashboardSetup
{
    public static IServiceCollection AddDashboard(this IServiceCollection services) => services.AddSingleton<DashboardApi>();
}
