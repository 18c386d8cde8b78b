namespace CallFunctions.Operators.WhatIf;

public static class WhatIfSetup
{
    public static IServiceCollection AddWhatIf(this IServiceCollection services) => services
        .AddSingleton<WhatIfApi>();
}
