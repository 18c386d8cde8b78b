namespace CallFunctions.Operators.Explain;

public static class ExplainSetup
{
    public static IServiceCollection AddExplain(this IServiceCollection services) => services
        .AddSingleton<CallExplainer>()
        .AddSingleton<ExplainApi>();
}
