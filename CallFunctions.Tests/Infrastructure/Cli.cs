using Azure.Data.Tables;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>
/// The command-line tools run in-process through the same entry point as <c>CallFunctions rules …</c>, against tables of
/// the shared Azurite.
/// </summary>
public static class Cli
{
    public sealed record Result(int Code, string Output, string Error)
    {
        public override string ToString() => $"exit {Code}\n--- output\n{Output}--- error\n{Error}";
    }

    public static Task<Result> RunAsync(Azurite storage, TableClient rules, TableClient outcomes, params string[] args) =>
        RunAsync(storage.ConnectionString, rules, outcomes, args);

    /// <summary>The tools on <paramref name="connectionString"/>: a <see cref="StorageStandIn"/>'s, for storage faults.</summary>
    public static async Task<Result> RunAsync(string connectionString, TableClient rules, TableClient outcomes, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Commands.RunAsync(args, output, error, new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["Rules:Table"] = rules.Name,
            ["Outcomes:Table"] = outcomes.Name,
        });
        return new Result(code, output.ToString(), error.ToString());
    }
}

/// <summary>A rules table and an outcomes table of their own in the shared Azurite, for tests of the tools.</summary>
public sealed class TestTables : IAsyncDisposable
{
    private TestTables(Azurite storage, TableClient rules, TableClient outcomes)
    {
        Storage = storage;
        Rules = rules;
        Outcomes = outcomes;
    }

    public Azurite Storage { get; }

    public TableClient Rules { get; }

    public TableClient Outcomes { get; }

    public static async Task<TestTables> CreateAsync(IEnumerable<TableEntity>? rules = null)
    {
        var storage = await Azurite.SharedAsync();
        var service = new TableServiceClient(storage.ConnectionString);
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var tables = new TestTables(storage, service.GetTableClient("Rules" + suffix), service.GetTableClient("Outcomes" + suffix));
        await tables.Rules.CreateIfNotExistsAsync();
        foreach (var rule in rules ?? []) await tables.Rules.AddEntityAsync(rule);
        return tables;
    }

    public Task<Cli.Result> RunAsync(params string[] args) => Cli.RunAsync(Storage, Rules, Outcomes, args);

    public async Task<List<TableEntity>> RuleRowsAsync()
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Rules.QueryAsync<TableEntity>()) rows.Add(row);
        return [.. rows.OrderBy(r => r.PartitionKey, StringComparer.Ordinal).ThenBy(r => r.RowKey, StringComparer.Ordinal)];
    }

    public async ValueTask DisposeAsync()
    {
        try { await Rules.DeleteAsync(); } catch (Azure.RequestFailedException) { }
        try { await Outcomes.DeleteAsync(); } catch (Azure.RequestFailedException) { }
        await TestApp.DeleteIndexTablesAsync(Storage, Outcomes.Name);
    }
}
