using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>
/// The real handler on a loopback port (Kestrel, real HTTP), with its own rules and outcomes tables in the shared
/// Azurite, its own Graph stand-in, and its own OpenID configuration whose key signs a valid token for every request
/// sent with <see cref="Client"/>.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string CallbackUri = "https://bot.contoso.com/api/calls/outcomes";

    private readonly HandlerFactory _factory;

    private TestApp(HandlerFactory factory, Azurite storage, GraphStandIn graph, OpenIdStandIn identity, TableClient rules,
        TableClient outcomes, LogCapture logs)
    {
        _factory = factory;
        Storage = storage;
        Graph = graph;
        Identity = identity;
        Rules = rules;
        Outcomes = outcomes;
        Logs = logs;
        Anonymous = factory.CreateClient();
        Client = new HttpClient(new SignsRequests(identity) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = Anonymous.BaseAddress };
    }

    /// <summary>Sends a valid token from Graph with every request that does not set its own Authorization.</summary>
    public HttpClient Client { get; }

    /// <summary>Sends no token at all.</summary>
    public HttpClient Anonymous { get; }

    public OpenIdStandIn Identity { get; }

    public Azurite Storage { get; }

    public GraphStandIn Graph { get; }

    public TableClient Rules { get; }

    public TableClient Outcomes { get; }

    public LogCapture Logs { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Starts the handler after seeding its rules table with <paramref name="rules"/>.</summary>
    public static async Task<TestApp> StartAsync(IEnumerable<TableEntity>? rules = null, IDictionary<string, string?>? settings = null)
    {
        var storage = await Azurite.SharedAsync();
        var graph = await GraphStandIn.StartAsync();
        var identity = await OpenIdStandIn.StartAsync();
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var service = new TableServiceClient(storage.ConnectionString);
        var rulesTable = service.GetTableClient("Rules" + suffix);
        var outcomesTable = service.GetTableClient("Outcomes" + suffix);
        await rulesTable.CreateIfNotExistsAsync();
        foreach (var rule in rules ?? []) await rulesTable.AddEntityAsync(rule);

        var all = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage.ConnectionString,
            ["Graph:BaseUrl"] = graph.BaseUrl,
            ["Graph:ClientId"] = OpenIdStandIn.AppId,
            ["Auth:OpenIdConfiguration"] = identity.ConfigurationUrl,
            ["Calls:CallbackUri"] = CallbackUri,
            ["Rules:Table"] = rulesTable.Name,
            ["Rules:RefreshSeconds"] = "30",
            ["Outcomes:Table"] = outcomesTable.Name,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;

        var logs = new LogCapture();
        var factory = new HandlerFactory(all, logs);
        factory.UseKestrel();
        factory.StartServer();
        return new TestApp(factory, storage, graph, identity, rulesTable, outcomesTable, logs);
    }

    public Task<HttpResponseMessage> PostAsync(string route, string body, string contentType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return Client.PostAsync(route, content);
    }

    public Task<HttpResponseMessage> NotifyAsync(string body) => PostAsync("/api/calls", body);

    /// <summary>Posts a notification with the given Authorization header value, or none when null.</summary>
    public Task<HttpResponseMessage> NotifyWithAsync(string? authorization, string body, string route = "/api/calls")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (authorization is null) return Anonymous.SendAsync(request);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return Client.SendAsync(request);
    }

    public async Task<TableEntity?> RecordAsync(string callId)
    {
        try
        {
            var found = await Outcomes.GetEntityIfExistsAsync<TableEntity>(callId, "call");
            return found.HasValue ? found.Value : null;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<List<TableEntity>> AllRecordsAsync()
    {
        var list = new List<TableEntity>();
        try
        {
            await foreach (var entity in Outcomes.QueryAsync<TableEntity>()) list.Add(entity);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
        }
        return list;
    }

    public IReadOnlyList<GraphRequest> GraphRequestsFor(string callId) =>
        [.. Graph.Requests.Where(r => r.Path.Contains(callId, StringComparison.Ordinal))];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await _factory.DisposeAsync();
        await Graph.DisposeAsync();
        await Identity.DisposeAsync();
        try { await Rules.DeleteAsync(); } catch (Azure.RequestFailedException) { }
        try { await Outcomes.DeleteAsync(); } catch (Azure.RequestFailedException) { }
    }

    private sealed class SignsRequests(OpenIdStandIn identity) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!request.Headers.Contains("Authorization")) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", identity.Token());
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class HandlerFactory(IReadOnlyDictionary<string, string?> settings, LogCapture logs) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("urls", "http://127.0.0.1:0");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        }
    }
}
