using CallFunctions.Platform;
using Microsoft.Extensions.Options;

namespace CallFunctions.RuleTable;

public static class RulesSetup
{
    public static IServiceCollection AddRules(this IServiceCollection services)
    {
        services.AddOptions<RulesOptions>().BindConfiguration(RulesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddTable(StorageSetup.RulesTable, sp => sp.GetRequiredService<IOptions<RulesOptions>>().Value.Table);
        services.AddSingleton<RuleCache>();
        // Read once at start-up, so the first ringing call does not wait for the table.
        services.AddHostedService<RulesWarmUp>();
        return services;
    }

    private sealed class RulesWarmUp(RuleCache rules) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken) => await rules.GetAsync(stoppingToken);
    }
}
