using CallFunctions.Platform;
using Microsoft.Extensions.Options;

namespace CallFunctions.Records;

public static class RecordsSetup
{
    public static IServiceCollection AddRecords(this IServiceCollection services)
    {
        services.AddOptions<OutcomesOptions>().BindConfiguration(OutcomesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddTable(StorageSetup.OutcomesTable, sp => sp.GetRequiredService<IOptions<OutcomesOptions>>().Value.Table);
        services.AddTable(RingCounts.TableKey, sp => sp.GetRequiredService<IOptions<OutcomesOptions>>().Value.Table + RingCounts.TableSuffix);
        services.AddSingleton<RingCounts>();
        services.AddTable(ChallengePasses.TableKey, sp => sp.GetRequiredService<IOptions<OutcomesOptions>>().Value.Table + ChallengePasses.TableSuffix);
        services.AddSingleton<ChallengePasses>();
        services.AddSingleton<ChallengeStore>();
        services.AddSingleton<ChallengeTimeouts>();
        services.AddSingleton<CallIndex>();
        services.AddSingleton<RecordSpool>();
        services.AddSingleton<CallRecords>();
        services.AddSingleton<CallMemory>();
        services.AddSingleton<ActionClaims>();
        services.AddHostedService<SpoolDrainer>();
        services.AddSingleton<RecordRetention>();
        return services;
    }

    /// <summary>The reconciler asks Graph, so only the functions register it (after the Graph client).</summary>
    public static IServiceCollection AddReconciler(this IServiceCollection services) => services.AddSingleton<Reconciler>();
}
