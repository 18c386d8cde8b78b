using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using CallFunctions.Platform.Performance;
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
                options.QueueServiceUri = section["queueServiceUri"] is { Length: > 0 } queues ? new Uri(queues) : null;
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => CreateServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp));
        return services;
    }

    /// <summary>
    /// A queue of AzureWebJobsStorage, as the host's queue triggers read it: by connection string, or identity-based
    /// (<c>__queueServiceUri</c>, or <c>__accountName</c>). Messages are base64, the host's default encoding.
    /// </summary>
    public static QueueClient Queue(StorageOptions options, IServiceProvider services, string name)
    {
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        queueOptions.Retry.MaxRetries = 2;
        queueOptions.Retry.Delay = TimeSpan.FromMilliseconds(100);
        queueOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString)) return new QueueClient(options.ConnectionString, name, queueOptions);
        var endpoint = options.QueueServiceUri ?? new Uri($"https://{options.AccountName}.queue.core.windows.net");
        return new QueueClient(new Uri(endpoint, name), services.GetRequiredService<TokenCredential>(), queueOptions);
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
        clientOptions.Transport = StorageTransport.Shared;
        return clientOptions;
    }

    private static TableServiceClient CreateServiceClient(StorageOptions options, IServiceProvider services)
    {
        var clientOptions = ClientOptions();
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            return new TableServiceClient(options.ConnectionString, clientOptions);
        var endpoint = options.TableServiceUri ?? new Uri($"https://{options.AccountName}.table.core.windows.net");
        return new TableServiceClient(endpoint, services.GetRequiredService<TokenCredential>(), clientOptions);
    }
}
