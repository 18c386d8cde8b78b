namespace CallFunctions.Operators.Dashboard;

public static class DashboardSetup
{
    public static IServiceCollection AddDashboard(this IServiceCollection services) => services.AddSingleton<DashboardApi>();
}
