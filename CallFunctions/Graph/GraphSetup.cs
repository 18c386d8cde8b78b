using CallFunctions.Platform;
using CallFunctions.Platform.Performance;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace CallFunctions.Graph;

public static class GraphSetup
{
    public static IServiceCollection AddGraph(this IServiceCollection services)
    {
        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CallsOptions>().BindConfiguration(CallsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => CreateClient(sp.GetRequiredService<IOptions<GraphOptions>>().Value, sp));
        services.AddSingleton<GraphCalls>();
        services.AddSingleton<PromptAddress>();
        return services;
    }

    /// <summary>
    /// The Graph client's HTTP: the SDK's handlers but its retry, ending in <paramref name="finalHandler"/> (the
    /// network when null; the benchmark of the whole path gives a stub).
    /// </summary>
    public static HttpClient GraphHttp(HttpMessageHandler? finalHandler = null) =>
        // Our own retry loop knows the call's deadline; the SDK's would wait out any Retry-After.
        GraphClientFactory.Create(GraphClientFactory.CreateDefaultHandlers().Where(h => h is not RetryHandler), finalHandler: finalHandler);

    private static GraphServiceClient CreateClient(GraphOptions options, IServiceProvider services)
    {
        BodyBlockPool.Bound();
        var http = GraphHttp();
        var baseUrl = options.BaseUrl.AbsoluteUri.TrimEnd('/');
        if (options.IsLocalStandIn) return new GraphServiceClient(http, new AnonymousAuthenticationProvider(), baseUrl);

        var scopes = new[] { $"{options.BaseUrl.Scheme}://{options.BaseUrl.Authority}/.default" };
        var credential = CredentialsSetup.ForApp(services, options.TenantId, options.ClientId, options.ClientSecret);
        return new GraphServiceClient(http, credential, scopes, baseUrl);
    }
}
