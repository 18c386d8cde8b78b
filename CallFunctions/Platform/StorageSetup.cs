using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace CallFunctions.Platform;

public static class StorageSetup
{
    public const string RulesTable = "rules";
    public const string OutcomesTable = "outcomes";

    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                var section = configuration.GetSection("AzureWebJobsStorage");
                options.ConnectionString = section.Value;
                options.TableServiceUri = section["tableServiceUri"] is { Length: > 0 } uri ? new Uri(uri) : null;
                options.AccountName = section["accountName"];
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => CreateServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp));
        return services;
    }

    /// <summary>Registers one <see cref="TableClient"/> for a table, created on first use if missing.</summary>
    public static IServiceCollection AddTable(this IServiceCollection services, string key, Func<IServiceProvider, string> tableName)
    {
        services.AddKeyedSingleton(key, (sp, _) => sp.GetRequiredService<TableServiceClient>().GetTableClient(tableName(sp)));
        return services;
    }

    /// <summary>The app's Table Storage client options (the benchmark of the whole path gives them a stub transport).</summary>
    public static TableClientOptions ClientOptions()
    {
        var clientOptions = new TableClientOptions();
        // Storage sits on the webhook's path: fail fast and let the caller decide, rather than retry for a minute.
        clientOptions.Retry.MaxRetries = 2;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(100);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        clientOptions.Transport = Transport;
        return clientOptions;
    }

    /// <summary>
    /// Table Storage speaks HTTP/1.1, one request per connection at a time: without a bound, a burst of 1,000 calls
    /// opens a connection per request in flight (in ./benchmark.sh, 3,360 open files in the worker during the burst,
    /// 1,479 with the bound; the burst's last reject came after 2.2 s, 1.1 s with it, Azurite serving fewer
    /// connections). Requests beyond the bound wait for a connection, inside the SDK's network timeout.
    /// </summary>
    public const int MaxConnections = 64;

    /// <summary>One connection pool for every table client of the process, as the SDK's default transport shares one.</summary>
    private static readonly HttpClientTransport Transport = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = MaxConnections,
        // A storage account's address can move (failover): connections are renewed, so DNS is asked again.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
        UseCookies = false,
    });

    private static TableServiceClient CreateServiceClient(StorageOptions options, IServiceProvider services)
    {
        var clientOptions = ClientOptions();
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            return new TableServiceClient(options.ConnectionString, clientOptions);
        var endpoint = options.TableServiceUri ?? new Uri($"https://{options.AccountName}.table.core.windows.net");
        return new TableServiceClient(endpoint, services.GetRequiredService<TokenCredential>(), clientOptions);
    }
}
