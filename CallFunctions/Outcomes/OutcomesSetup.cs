using CallFunctions.Storage;
using Microsoft.Extensions.Options;

namespace CallFunctions.Outcomes;

public static class OutcomesSetup
{
    public static IServiceCollection AddOutcomes(this IServiceCollection services)
    {
        services.AddOptions<OutcomesOptions>().BindConfiguration(OutcomesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddTable(StorageSetup.OutcomesTable, sp => sp.GetRequiredService<IOptions<OutcomesOptions>>().Value.Table);
        services.AddTable(RingCounts.TableKey, sp => sp.GetRequiredService<IOptions<OutcomesOptions>>().Value.Table + RingCounts.TableSuffix);
        services.AddSingleton<RingCounts>();
        services.AddSingleton<CallIndex>();
        services.AddSingleton<RecordSpool>();
        services.AddSingleton<CallRecords>();
        services.AddSingleton<Claims>();
        services.AddHostedService<SpoolDrainer>();
        services.AddSingleton<Terminations>();
        services.AddSingleton<OutcomeQueries>();
        services.AddSingleton<RecordRetention>();
        services.AddSingleton<OutcomesApi>();
        return services;
    }
}
