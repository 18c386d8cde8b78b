using Microsoft.Extensions.Options;

namespace CallFunctions.Auth;

public static class AuthSetup
{
    public static IServiceCollection AddAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (string.IsNullOrWhiteSpace(options.Audience)) options.Audience = configuration["Graph:ClientId"];
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The factory owns the handler and renews its connections, so a change of Microsoft's addresses is seen.
        services.AddHttpClient(nameof(SigningKeys), http => http.Timeout = SigningKeys.FetchTimeout).RemoveAllLoggers();
        services.AddSingleton<SigningKeys>();
        services.AddSingleton<GraphTokens>();
        services.AddSingleton<GraphTokenCheck>();
        services.AddHostedService<AuthWarmUp>();
        return services;
    }

    /// <summary>Warns when authentication is off; otherwise reads the keys now, so the first ringing call does not wait.</summary>
    private sealed class AuthWarmUp(IOptions<AuthOptions> options, SigningKeys keys, ILogger<AuthWarmUp> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            if (!options.Value.Enabled) Log.Disabled(logger);
            else await keys.GetAsync(null, stoppingToken);
        }
    }
}
