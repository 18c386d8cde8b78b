namespace CallFunctions.Operators.WhatIf;

public static class ReplaySetup
{
    public static IServiceCollection AddWhatIf(this IServiceCollection services) => services
        .AddSingleton<WhatIfService>()
        .AddSingleton<WhatIfApi>();
}
