using CallFunctions.Storage;
using Microsoft.Extensions.Options;

namespace CallFunctions.Rules;

public static class RulesSetup
{
    public static IServiceCollection AddRules(this IServiceCollection services)
    {
        services.AddOptions<RulesOptions>().BindConfiguration(RulesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddTable(StorageSetup.RulesTable, sp => sp.GetRequiredService<IOptions<RulesOptions>>().Value.Table);
        services.AddSingleton<RuleCache>();
        return services;
    }
}
