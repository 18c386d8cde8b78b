using Azure.Data.Tables;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>What the handler runs against: a real Azurite with its rules, and the loopback Graph stand-in.</summary>
public sealed class BenchStage(Azurite storage, GraphStandIn graph, string rulesTable, string outcomesTable) : IAsyncDisposable
{
    public Azurite Storage => storage;

    public string OutcomesTable => outcomesTable;

    /// <summary>Azurite's Node.js processes, to read their CPU time.</summary>
    public int[] StorageProcesses => Cpu.Find("--tablePort", storage.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static async Task<BenchStage> StartAsync()
    {
        var storage = await Azurite.StartAsync();
        var graph = await GraphStandIn.StartAsync();
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var service = new TableServiceClient(storage.ConnectionString);
        var rules = service.GetTableClient("Rules" + suffix);
        await rules.CreateIfNotExistsAsync();
        await service.GetTableClient("Outcomes" + suffix).CreateIfNotExistsAsync();
        // The README's example rules: the sample's caller is on block-test-number.
        foreach (var row in new[]
        {
            Rule("reception-vip", 10, "Allow", caller: "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50"),
            Rule("block-test-number", 20, "Reject", caller: "+1 425-555-0123", reason: "Busy"),
            Rule("no-meeting-invites", 30, "Reject", callType: "Group", reason: "Forbidden"),
            Rule("premium-numbers", 40, "Reject", caller: "+1900*, re:^\\+44(9|87)", reason: "Forbidden"),
            Rule("hang-up-france", 50, "HangUp", caller: "+33*"),
        })
            await rules.AddEntityAsync(row);
        return new BenchStage(storage, graph, rules.Name, "Outcomes" + suffix);
    }

    /// <summary>The handler's settings: authentication off (the load generator cannot get Graph's token).</summary>
    public Dictionary<string, string?> HandlerSettings(int refreshSeconds, string? connectionString = null) => new()
    {
        ["AzureWebJobsStorage"] = connectionString ?? storage.ConnectionString,
        ["Graph__BaseUrl"] = graph.BaseUrl,
        ["Auth__Enabled"] = "false",
        ["Rules__Table"] = rulesTable,
        ["Rules__RefreshSeconds"] = refreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Outcomes__Table"] = outcomesTable,
        ["Outcomes__SpoolPath"] = Path.Combine(Path.GetTempPath(), "callfunctions-bench", Guid.NewGuid().ToString("N")),
        ["Diagnostics__BareEndpoint"] = "true",
    };

    private static TableEntity Rule(string name, int priority, string action, string? caller = null, string? reason = null, string? callType = null)
    {
        var row = new TableEntity("default", name) { ["Priority"] = priority, ["Action"] = action };
        if (caller is not null) row["Caller"] = caller;
        if (reason is not null) row["Reason"] = reason;
        if (callType is not null) row["CallType"] = callType;
        return row;
    }

    public async ValueTask DisposeAsync()
    {
        await graph.DisposeAsync();
        await storage.DisposeAsync();
    }
}
