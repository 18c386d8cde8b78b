using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>
/// The app inside a real Functions host on a loopback port, with its own rules and outcomes tables in the shared
/// Azurite, its own Graph stand-in, and its own OpenID configuration whose key signs a valid token for every request
/// sent with <see cref="Client"/>.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string CallbackUri = "https://bot.contoso.com/api/calls/outcomes";

    private readonly FunctionsHost _host;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly bool _ownsSharedParts;
    private readonly TableServiceClient _tables;

    private TestApp(FunctionsHost host, IReadOnlyDictionary<string, string?> settings, bool ownsSharedParts,
        Azurite storage, GraphStandIn graph, OpenIdStandIn identity, TableClient rules, TableClient outcomes,
        StorageStandIn? storageFaults)
    {
        StorageFaults = storageFaults;
        _host = host;
        _settings = settings;
        _ownsSharedParts = ownsSharedParts;
        Storage = storage;
        _tables = new TableServiceClient(storage.ConnectionString);
        Graph = graph;
        Identity = identity;
        Rules = rules;
        Outcomes = outcomes;
        Anonymous = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Client = new HttpClient(new SignsRequests(identity) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>
    /// Sends a valid token from Graph with every request that does not set its own Authorization, and the function key
    /// that the portal gives operators (<c>x-functions-key</c>).
    /// </summary>
    public HttpClient Client { get; }

    /// <summary>Sends no token and no key at all.</summary>
    public HttpClient Anonymous { get; }

    public OpenIdStandIn Identity { get; }

    public Azurite Storage { get; }

    /// <summary>The proxy between the app and Azurite's tables, when the test asked for one (<c>storageFaults</c>).</summary>
    public StorageStandIn? StorageFaults { get; }

    public GraphStandIn Graph { get; }

    public TableClient Rules { get; }

    public TableClient Outcomes { get; }

    /// <summary>Every line the host printed, the worker's with their event ids.</summary>
    public LogCapture Logs => _host.Logs;

    public FunctionsHost Host => _host;

    /// <summary>
    /// Starts the app in the Functions host after seeding its rules table with <paramref name="rules"/>;
    /// <paramref name="now"/> starts the app's clock at that instant (time rules, notification times);
    /// <paramref name="storage"/> replaces the shared Azurite; <paramref name="storageFaults"/> puts a
    /// <see cref="StorageStandIn"/> between the app and Azurite's tables (<see cref="StorageFaults"/>).
    /// </summary>
    /// <param name="ownHost">
    /// A host of its own, never reused: for a test that stops it, edits its rules table, or reads its start-up. Other
    /// tests share hosts started with the same settings (one test at a time), which re-read their rules every second,
    /// since a host costs seconds of CPU to start.
    /// </param>
    public static async Task<TestApp> StartAsync(
        IEnumerable<TableEntity>? rules = null, IDictionary<string, string?>? settings = null, DateTimeOffset? now = null,
        Azurite? storage = null, bool ownHost = false, bool storageFaults = false)
    {
        HostStarts.From(new System.Diagnostics.StackTrace());
        settings ??= new Dictionary<string, string?>();
        var shared = !ownHost && now is null && storage is null && !settings.ContainsKey("Rules:RefreshSeconds");
        var key = string.Join(";", settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"))
            + (storageFaults ? ";(storage stand-in)" : "");
        if (shared && Pool.TryTake(key, out var idle))
        {
            await idle.ReuseAsync(rules ?? []);
            return idle;
        }

        storage ??= await Azurite.SharedAsync();
        var graph = await GraphStandIn.StartAsync();
        var proxy = storageFaults ? await StorageStandIn.StartAsync(storage) : null;
        var identity = await OpenIdStandIn.StartAsync();
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        var service = new TableServiceClient(storage.ConnectionString, options);
        var rulesTable = service.GetTableClient("Rules" + suffix);
        var outcomesTable = service.GetTableClient("Outcomes" + suffix);
        await rulesTable.CreateIfNotExistsAsync();
        foreach (var rule in rules ?? []) await rulesTable.AddEntityAsync(rule);

        var all = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = proxy?.ConnectionString ?? storage.ConnectionString,
            ["Graph:BaseUrl"] = graph.BaseUrl,
            ["Graph:ClientId"] = OpenIdStandIn.AppId,
            ["Auth:OpenIdConfiguration"] = identity.ConfigurationUrl,
            ["Calls:CallbackUri"] = CallbackUri,
            ["Rules:Table"] = rulesTable.Name,
            ["Rules:RefreshSeconds"] = shared ? "1" : "30",
            ["Outcomes:Table"] = outcomesTable.Name,
            // One queue of challenge deadlines per app: hosts share Azurite, and would take each other's deadlines.
            ["Calls:ChallengeQueue"] = "deadlines-" + suffix,
            ["Outcomes:SpoolPath"] = Path.Combine(Path.GetTempPath(), "callfunctions-tests", outcomesTable.Name),
        };
        foreach (var (name, value) in settings) all[name] = value;

        var host = await StartHostAsync(all, now);
        return new TestApp(host, all, true, storage, graph, identity, rulesTable, outcomesTable, proxy) { _poolKey = shared ? key : null };
    }

    private string? _poolKey;

    /// <summary>Hosts idle between tests, by the settings they were started with, the least recently used first.</summary>
    private static class Pool
    {
        private static readonly List<(string Key, TestApp App)> Idle = [];

        static Pool() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Idle) foreach (var (_, app) in Idle) app._host.Kill();
        };

        public static bool TryTake(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TestApp? app)
        {
            lock (Idle)
            {
                var i = Idle.FindLastIndex(idle => idle.Key == key);
                app = i < 0 ? null : Idle[i].App;
                if (i >= 0) Idle.RemoveAt(i);
                return app is not null;
            }
        }

        /// <summary>
        /// Keeps at most <see cref="MaxIdle"/> idle hosts (each holds a host's and a worker's memory, a few hundred MB);
        /// returns the one that had been idle longest when there are more, to be stopped.
        /// </summary>
        public static TestApp? Return(string key, TestApp app)
        {
            lock (Idle)
            {
                Idle.Add((key, app));
                if (Idle.Count <= MaxIdle) return null;
                var oldest = Idle[0].App;
                Idle.RemoveAt(0);
                return oldest;
            }
        }

        /// <summary>Enough for the settings that tests running at once use: a host costs seconds of CPU to start.</summary>
        private const int MaxIdle = 12;
    }

    /// <summary>Makes a pooled host look new to the next test: its rules, an empty outcomes table, fresh stand-ins.</summary>
    private async Task ReuseAsync(IEnumerable<TableEntity> rules)
    {
        await ClearAsync(Rules);
        foreach (var rule in rules) await Rules.AddEntityAsync(rule);
        await ClearAsync(Outcomes);
        await ClearAsync(RingsTable);
        await ClearAsync(PassesTable);
        // The app keeps the day tables it made: emptied, not deleted.
        await foreach (var table in _tables.QueryAsync(IndexTablesOf(Outcomes.Name)))
            await ClearAsync(_tables.GetTableClient(table.Name));
        Graph.Reset();
        StorageFaults?.Reset();
        Logs.Mark();
        // The host re-reads its rules at the first notification a second after its last read: wait for that second. The
        // age comes from the app's own clock, which may be pinned (Diagnostics__ClockStart) or differ from this process's
        // (libfaketime in the clock runs).
        var health = System.Text.Json.Nodes.JsonNode.Parse(await Anonymous.GetStringAsync("/api/health"))!;
        var age = health["rulesAgeSeconds"]?.GetValue<double>();
        if (age is { } seconds && seconds < 1.1) await Task.Delay(TimeSpan.FromSeconds(1.1 - seconds));
    }

    private static async Task ClearAsync(TableClient table)
    {
        try
        {
            await foreach (var entity in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
                await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>Back to the pool when the host still runs and its background work is done, else stopped.</summary>
    private async Task<bool> TryReturnToPoolAsync()
    {
        if (_poolKey is null || _host.HasExited) return false;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                var health = System.Text.Json.Nodes.JsonNode.Parse(await Anonymous.GetStringAsync("/api/health"))!;
                if (health["inFlight"]!.GetValue<int>() == 0 && !health["recordsWaitingForStorage"]!.GetValue<bool>())
                {
                    if (Pool.Return(_poolKey, this) is { } evicted) await evicted.StopForGoodAsync();
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                return false;
            }
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>Another instance of the app on the same tables and Graph, as a scaled-out Functions app has.</summary>
    /// <paramref name="now"/> starts its clock at that instant: records written through it carry that time.
    public async Task<TestApp> AnotherInstanceAsync(IDictionary<string, string?>? settings = null, DateTimeOffset? now = null)
    {
        HostStarts.From(new System.Diagnostics.StackTrace());
        var all = new Dictionary<string, string?>(_settings);
        all["Outcomes:SpoolPath"] = _settings["Outcomes:SpoolPath"] + "-" + Guid.NewGuid().ToString("N")[..6];
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var host = await StartHostAsync(all, now);
        return new TestApp(host, all, false, Storage, Graph, Identity, Rules, Outcomes, StorageFaults);
    }

    /// <summary>
    /// The app's services in this test's process, on the same tables and settings, with <paramref name="clock"/>: for
    /// work a timer function does (retention) run at a chosen time. The host cannot be handed a clock object.
    /// </summary>
    /// <paramref name="settings"/> override the app's; <paramref name="more"/> registers what only the functions have
    /// (the Graph client and the reconciler).
    public ServiceProvider InProcess(TimeProvider clock, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? more = null)
    {
        var all = new Dictionary<string, string?>(_settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddCallFunctions(configuration);
        more?.Invoke(services);
        services.AddSingleton(clock);
        return services.BuildServiceProvider();
    }

    private static async Task<FunctionsHost> StartHostAsync(IReadOnlyDictionary<string, string?> settings, DateTimeOffset? now)
    {
        for (var attempt = 1; ; attempt++)
        {
            FunctionsHost? host = null;
            try
            {
                host = await FunctionsHost.StartAsync(settings, now: now);
                await host.WaitUntilReadyAsync();
                return host;
            }
            catch (InvalidOperationException e) when (attempt < 3 && FunctionsHost.LostItsPort(e))
            {
                // Another process bound the port between our choice and the host's bind: start on another port.
                if (host is not null) await host.DisposeAsync();
            }
            catch
            {
                if (host is not null) await host.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Polls the call's record until <paramref name="done"/> holds, or fails after <paramref name="timeout"/>.</summary>
    public async Task<TableEntity> WaitForRecordAsync(string callId, Func<TableEntity, bool> done, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            TableEntity? record = null;
            try
            {
                record = await RecordAsync(callId);
            }
            catch (Exception e) when (e is Azure.RequestFailedException or AggregateException)
            {
                // Storage restarting: try again.
            }
            if (record is not null && done(record)) return record;
            if (DateTime.UtcNow > until) throw new TimeoutException($"The record of call {callId} did not reach the expected state.");
            await Task.Delay(100);
        }
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

    /// <summary>Stops the host with SIGTERM, as Azure stops an instance; returns its exit code.</summary>
    public Task<int> StopAsync(TimeSpan timeout) => _host.TerminateAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (await TryReturnToPoolAsync()) return;
        await StopForGoodAsync();
    }

    private async Task StopForGoodAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await _host.DisposeAsync();
        if (!_ownsSharedParts) return;
        await Graph.DisposeAsync();
        await Identity.DisposeAsync();
        if (StorageFaults is not null) await StorageFaults.DisposeAsync();
        // Best effort: a test may have stopped its storage.
        try { await Rules.DeleteAsync(); } catch (Exception e) when (e is Azure.RequestFailedException or AggregateException) { }
        try { await Outcomes.DeleteAsync(); } catch (Exception e) when (e is Azure.RequestFailedException or AggregateException) { }
        try { await RingsTable.DeleteAsync(); } catch (Exception e) when (e is Azure.RequestFailedException or AggregateException) { }
        try { await PassesTable.DeleteAsync(); } catch (Exception e) when (e is Azure.RequestFailedException or AggregateException) { }
        await DeleteIndexTablesAsync(Storage, Outcomes.Name);
    }

    /// <summary>The callers' rings that Repeat rules count (RingCounts): the outcomes table's name and "Rings".</summary>
    public TableClient RingsTable => _tables.GetTableClient(Outcomes.Name + "Rings");

    /// <summary>The callers who passed a Challenge rule (ChallengePasses): the outcomes table's name and "Passes".</summary>
    public TableClient PassesTable => _tables.GetTableClient(Outcomes.Name + "Passes");

    /// <summary>The day's index table of the outcomes table (CallIndex): the table's name and the day.</summary>
    public TableClient IndexTable(string day) => _tables.GetTableClient(Outcomes.Name + day);

    /// <summary>The day tables (yyyyMMdd after the outcomes table's name) of the index.</summary>
    private static string IndexTablesOf(string outcomes) =>
        TableClient.CreateQueryFilter($"TableName ge {outcomes + "0"} and TableName lt {outcomes + ":"}");

    public static async Task DeleteIndexTablesAsync(Azurite storage, string outcomes)
    {
        try
        {
            var service = new TableServiceClient(storage.ConnectionString);
            await foreach (var table in service.QueryAsync(IndexTablesOf(outcomes)))
                await service.DeleteTableAsync(table.Name);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException)
        {
            // Best effort, as above.
        }
    }

    private sealed class SignsRequests(OpenIdStandIn identity) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!request.Headers.Contains("Authorization")) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", identity.Token());
            if (!request.Headers.Contains("x-functions-key")) request.Headers.Add("x-functions-key", FunctionsHost.FunctionKey);
            return base.SendAsync(request, cancellationToken);
        }
    }

    public Task<Cli.Result> RunCommandAsync(params string[] args) => Cli.RunAsync(Storage, Rules, Outcomes, args);
}
