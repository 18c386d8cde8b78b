using Azure.Data.Tables;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>
/// What the app runs against: a real Azurite with its rules, the loopback Graph stand-in (whose rejects the harness
/// times, <see cref="Rejects"/>) and the OpenID stand-in that signs Graph's token.
/// </summary>
public sealed class BenchStage(Azurite storage, GraphStandIn graph, OpenIdStandIn identity, string rulesTable, string outcomesTable) : IAsyncDisposable
{
    public Azurite Storage => storage;

    public GraphStandIn Graph => graph;

    /// <summary>When the Graph stand-in received each reject.</summary>
    public RejectClock Rejects { get; } = new(graph);

    /// <summary>One valid token from Graph for every notification, as Graph reuses its token for an hour.</summary>
    public string Token { get; } = identity.Token();

    public string OutcomesTable => outcomesTable;

    public string RulesTable => rulesTable;

    /// <summary>Azurite's Node.js processes, to read their CPU time.</summary>
    public int[] StorageProcesses => Cpu.Find("--tablePort", storage.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static async Task<BenchStage> StartAsync()
    {
        // As a storage account: no file of the whole database saved every few seconds, slower with every row written.
        var storage = await Azurite.StartAsync(inMemory: true);
        var graph = await GraphStandIn.StartAsync();
        var identity = await OpenIdStandIn.StartAsync();
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var service = new TableServiceClient(storage.ConnectionString);
        var rules = service.GetTableClient("Rules" + suffix);
        await rules.CreateIfNotExistsAsync();
        await service.GetTableClient("Outcomes" + suffix).CreateIfNotExistsAsync();
        // The README's example rules: the sample's caller is on block-test-number.
        foreach (var row in new[]
        {
            Rule("reception-vip", 10, "Allow", caller: "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50"),
            // Ring to redirect: this caller is sent on to reception's number.
            Rule("to-reception", 15, "Redirect", caller: RedirectedCaller, target: "+14255550100"),
            Rule("block-test-number", 20, "Reject", caller: "+1 425-555-0123", reason: "Busy"),
            Rule("no-meeting-invites", 30, "Reject", callType: "Group", reason: "Forbidden"),
            Rule("premium-numbers", 40, "Reject", caller: "+1900*, re:^\\+44(9|87)", reason: "Forbidden"),
            Rule("hang-up-france", 50, "HangUp", caller: "+33*"),
        })
            await rules.AddEntityAsync(row);
        // A ring's cost with a Repeat rule in scope: only this tenant's calls meet it, the sample's tenant has none.
        await rules.AddEntityAsync(new TableEntity(RepeatTenant, "robot") { ["Priority"] = 5, ["Action"] = "Reject", ["Reason"] = "Busy", ["Repeat"] = "4/10m" });
        // A challenged call: this tenant's calls are challenged (the shortest Timeout, so a round's deadlines fire within it).
        await rules.AddEntityAsync(new TableEntity(ChallengeTenant, "screen")
            { ["Priority"] = 1, ["Action"] = "Challenge", ["Target"] = "+14255550100", ["Key"] = "1", ["Timeout"] = ChallengeTimeoutSeconds });
        return new BenchStage(storage, graph, identity, rules.Name, "Outcomes" + suffix);
    }

    /// <summary>
    /// The app's settings, as environment variables for the host: authentication on, Graph's token checked against
    /// the OpenID stand-in's keys.
    /// </summary>
    public Dictionary<string, string?> HandlerSettings(int refreshSeconds, string? connectionString = null) => new()
    {
        ["AzureWebJobsStorage"] = connectionString ?? storage.ConnectionString,
        ["Graph__BaseUrl"] = graph.BaseUrl,
        ["Graph__ClientId"] = OpenIdStandIn.AppId,
        ["Auth__OpenIdConfiguration"] = identity.ConfigurationUrl,
        ["Rules__Table"] = rulesTable,
        ["Rules__RefreshSeconds"] = refreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Outcomes__Table"] = outcomesTable,
        // The app's public address (prompts are served on it), and its own queue of challenge deadlines.
        ["Calls__CallbackUri"] = "https://bot.contoso.com/api/calls/outcomes",
        ["Calls__ChallengeQueue"] = "bench-" + outcomesTable.ToLowerInvariant(),
        ["Outcomes__SpoolPath"] = Path.Combine(Path.GetTempPath(), "callfunctions-bench", Guid.NewGuid().ToString("N")),
        ["DOTNET_USE_POLLING_FILE_WATCHER"] = PollFiles,
    };

    /// <summary>The empty app's settings: the same storage account for the host (its lock), nothing else.</summary>
    public Dictionary<string, string?> EmptySettings() => new()
    {
        ["AzureWebJobsStorage"] = storage.ConnectionString,
        ["DOTNET_USE_POLLING_FILE_WATCHER"] = PollFiles,
    };

    /// <summary>
    /// For both apps' hosts and workers: configuration files are polled (every 4 s) instead of watched with inotify,
    /// whose 128 instances per user a shared machine running other test suites can exhaust (the host then fails to start).
    /// </summary>
    private const string PollFiles = "1";

    /// <summary>The tenant of samples/incoming-pstn.json.</summary>
    public const string SampleTenant = "632899f8-2ea1-4604-8413-27bd2892079f";

    /// <summary>A tenant with a Repeat rule of its own (<c>robot</c>), beside the default rules.</summary>
    public const string RepeatTenant = "5e3ce6c0-2b1f-4285-8d4b-75ee78787346";

    /// <summary>A tenant whose calls a Challenge rule of its own (<c>screen</c>) answers, beside the default rules.</summary>
    public const string ChallengeTenant = "b1d7f0a2-3c4e-4f5a-8b6c-7d8e9f0a1b2c";

    public const int ChallengeTimeoutSeconds = 5;

    /// <summary>The caller of the ring-to-redirect calls: the sample's, one digit off.</summary>
    public const string RedirectedCaller = "+14255550199";

    private static TableEntity Rule(string name, int priority, string action, string? caller = null, string? reason = null, string? callType = null, string? target = null)
    {
        var row = new TableEntity("default", name) { ["Priority"] = priority, ["Action"] = action };
        if (target is not null) row["Target"] = target;
        if (caller is not null) row["Caller"] = caller;
        if (reason is not null) row["Reason"] = reason;
        if (callType is not null) row["CallType"] = callType;
        return row;
    }

    public async ValueTask DisposeAsync()
    {
        await graph.DisposeAsync();
        await identity.DisposeAsync();
        await storage.DisposeAsync();
    }
}
