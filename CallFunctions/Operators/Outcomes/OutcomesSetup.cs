namespace CallFunctions.Operators.Outcomes;

public static class OutcomesSetup
{
    /// <summary>The records as operators read them: a period's calls, the summary, the list.</summary>
    public static IServiceCollection AddOutcomes(this IServiceCollection services) => services
        .AddSingleton<OutcomeQueries>()
        .AddSingleton<OutcomesApi>();
}
