using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>
/// The real handler on a loopback port (Kestrel, real HTTP), with its own rules and outcomes tables in the shared
/// Azurite and its own Graph stand-in.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string CallbackUri = "https://bot.contoso.com/api/calls/outcomes";

    private readonly HandlerFactory _factory;

    private TestApp(HandlerFactory factory, Azurite storage, GraphStandIn graph, TableClient rules, TableClient outcomes, LogCapture logs)
    {
        _factory = factory;
        Storage = storage;
        Graph = graph;
        Rules = rules;
        Outcomes = outcomes;
        Logs = logs;
        Client = factory.CreateClient();
    }

    public HttpClient Client { get; }

    public Azurite Storage { get; }

    public GraphStandIn Graph { get; }

    public TableClient Rules { get; }

    public TableClient Outcomes { get; }

    public LogCapture Logs { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>
    /// Starts the handler after seeding its rules table with <paramref name="rules"/>; <paramref name="clock"/> replaces
    /// the system clock (time rules, notification times).
    /// </summary>
    public static async Task<TestApp> StartAsync(
        IEnumerable<TableEntity>? rules = null, IDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        var storage = await Azurite.SharedAsync();
        var graph = await GraphStandIn.StartAsync();
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
            ["Calls:CallbackUri"] = CallbackUri,
            ["Rules:Table"] = rulesTable.Name,
            ["Rules:RefreshSeconds"] = "30",
            ["Outcomes:Table"] = outcomesTable.Name,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;

        var logs = new LogCapture();
        var factory = new HandlerFactory(all, logs, clock);
        factory.UseKestrel();
        factory.StartServer();
        return new TestApp(factory, storage, graph, rulesTable, outcomesTable, logs);
    }

    public Task<HttpResponseMessage> PostAsync(string route, string body, string contentType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return Client.PostAsync(route, content);
    }

    public Task<HttpResponseMessage> NotifyAsync(string body) => PostAsync("/api/calls", body);

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
        await _factory.DisposeAsync();
        await Graph.DisposeAsync();
        try { await Rules.DeleteAsync(); } catch (Azure.RequestFailedException) { }
        try { await Outcomes.DeleteAsync(); } catch (Azure.RequestFailedException) { }
    }

    public Task<Cli.Result> RunCommandAsync(params string[] args) => Cli.RunAsync(Storage, Rules, Outcomes, args);

    private sealed class HandlerFactory(IReadOnlyDictionary<string, string?> settings, LogCapture logs, TimeProvider? clock)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("urls", "http://127.0.0.1:0");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
            if (clock is not null) builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }
}
