using CallFunctions.Platform;
using System.Reflection;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.IO;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Serialization.Json;

namespace CallFunctions.Graph;

public static class CallsSetup
{
    public static IServiceCollection AddCalls(this IServiceCollection services)
    {
        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CallsOptions>().BindConfiguration(CallsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => CreateClient(sp.GetRequiredService<IOptions<GraphOptions>>().Value, sp));
        services.AddSingleton<GraphCalls>();
        return services;
    }

    /// <summary>
    /// The Graph client's HTTP: the SDK's handlers but its retry, ending in <paramref name="finalHandler"/> (the
    /// network when null; the benchmark of the whole path gives a stub).
    /// </summary>
    public static HttpClient GraphHttp(HttpMessageHandler? finalHandler = null) =>
        // Our own retry loop knows the call's deadline; the SDK's would wait out any Retry-After.
        GraphClientFactory.Create(GraphClientFactory.CreateDefaultHandlers().Where(h => h is not RetryHandler), finalHandler: finalHandler);

    /// <summary>The most that Kiota's pool of request-body blocks keeps for the next requests: eight 128 KB blocks.</summary>
    public const long KeptBodyBlockBytes = 8 * 128 * 1024;

    /// <summary>
    /// Kiota's JSON writer takes a 128 KB block for every request body (a reject's is about 30 bytes) from one static
    /// pool that, as Kiota configures it, keeps every block given back: the worker held 60 to 70 of them (8–9 MB) for
    /// good after its busiest moment (docs/benchmarks.md, memory). Kiota offers no setting, so its pool's own limit is
    /// set here; a block given back beyond it goes to the collector. Null when Kiota no longer has that pool.
    /// </summary>
    public static RecyclableMemoryStreamManager? BoundBodyBlockPool()
    {
        var pool = typeof(JsonSerializationWriter)
            .GetField("_memoryStreamManager", BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as RecyclableMemoryStreamManager;
        if (pool is not null) pool.Settings.MaximumSmallPoolFreeBytes = KeptBodyBlockBytes;
        return pool;
    }

    private static GraphServiceClient CreateClient(GraphOptions options, IServiceProvider services)
    {
        BoundBodyBlockPool();
        var http = GraphHttp();
        var baseUrl = options.BaseUrl.AbsoluteUri.TrimEnd('/');
        if (options.IsLocalStandIn) return new GraphServiceClient(http, new AnonymousAuthenticationProvider(), baseUrl);

        var scopes = new[] { $"{options.BaseUrl.Scheme}://{options.BaseUrl.Authority}/.default" };
        var credential = CredentialsSetup.ForApp(services, options.TenantId, options.ClientId, options.ClientSecret);
        return new GraphServiceClient(http, credential, scopes, baseUrl);
    }
}
