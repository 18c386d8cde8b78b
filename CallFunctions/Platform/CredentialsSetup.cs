using Azure.Core;
using Azure.Identity;

namespace CallFunctions.Platform;

public static class CredentialsSetup
{
    /// <summary>The setting that names a user-assigned managed identity, as the Azure SDK and the Functions host read it.</summary>
    public const string ClientIdSetting = "AZURE_CLIENT_ID";

    /// <summary>
    /// The app's one Azure identity, for Table Storage without a connection string and for Graph without a client
    /// secret: the user-assigned managed identity that AZURE_CLIENT_ID names, otherwise DefaultAzureCredential (the
    /// system-assigned identity in Azure, a developer's sign-in on a workstation).
    /// </summary>
    public static IServiceCollection AddAzureCredential(this IServiceCollection services)
    {
        services.AddSingleton<TokenCredential>(sp => Create(sp.GetRequiredService<IConfiguration>()[ClientIdSetting]));
        return services;
    }

    public static TokenCredential Create(string? clientId) =>
        clientId is { Length: > 0 }
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();

    /// <summary>
    /// An app registration's own sign-in when its secret is set (the bot's, for Graph); otherwise the app's one identity.
    /// </summary>
    public static TokenCredential ForApp(IServiceProvider services, string? tenantId, string? clientId, string? clientSecret) =>
        string.IsNullOrEmpty(clientSecret)
            ? services.GetRequiredService<TokenCredential>()
            : new ClientSecretCredential(tenantId, clientId, clientSecret);
}
