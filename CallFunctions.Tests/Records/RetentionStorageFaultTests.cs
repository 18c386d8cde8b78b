using System.Globalization;
using Azure.Data.Tables;
using CallFunctions.Records;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CallFunctions.Tests.Records;

/// <summary>Retention through the storage stand-in: a delete repeated after a lost answer meets 404, and that is success.</summary>
public sealed class RetentionStorageFaultTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static async Task<List<string>> RowKeysAsync(TableClient table, string partition)
    {
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"))) rows.Add(row.RowKey);
        return [.. rows.Order(StringComparer.Ordinal)];
    }

    private static async Task AddCallAsync(TableClient outcomes, TableClient day, string hour, string callId)
    {
        await day.AddEntityAsync(new TableEntity(hour, callId) { ["CallId"] = callId });
        await outcomes.SubmitTransactionAsync([
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(callId, "call") { ["CallId"] = callId }),
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(callId, "claim-reject"))]);
    }

    [Fact]
    public async Task DeletesWhoseAnswersWereLostCountAsDoneAndThePassFinishes()
    {
        await using var tables = await TestTables.CreateAsync();
        await using var storage = await StorageStandIn.StartAsync(tables.Storage);
        var service = new TableServiceClient(tables.Storage.ConnectionString);
        var wholeDay = service.GetTableClient(tables.Outcomes.Name + "20260110");
        var cutoffDay = service.GetTableClient(tables.Outcomes.Name + "20260203");
        await tables.Outcomes.CreateIfNotExistsAsync();
        await wholeDay.CreateIfNotExistsAsync();
        await cutoffDay.CreateIfNotExistsAsync();
        await AddCallAsync(tables.Outcomes, wholeDay, "2026011008", "old");
        await AddCallAsync(tables.Outcomes, cutoffDay, "2026020308", "cutoff-day");
        await AddCallAsync(tables.Outcomes, cutoffDay, "2026020315", "kept");
        // Every transaction (a call's record and claim, the cutoff day's old hour) and the day table's drop: each is
        // applied, its answer lost, and the SDK's repeat meets 404.
        var batches = new[] { "'old'", "'cutoff-day'", "'2026020308'" }
            .Select(key => storage.Inject(r => r.Table == "$batch" && r.Carries(key), StorageFault.LoseAnswer)).ToList();
        var drop = storage.Inject(r => r.Method == "DELETE" && r.Table.StartsWith("Tables", StringComparison.Ordinal), StorageFault.LoseAnswer);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage.ConnectionString,
            ["Rules:Table"] = tables.Rules.Name,
            ["Outcomes:Table"] = tables.Outcomes.Name,
            ["Outcomes:RetentionDays"] = "30",
            ["Outcomes:SpoolPath"] = Path.Combine(Path.GetTempPath(), "callfunctions-tests", tables.Outcomes.Name),
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddCallFunctions(configuration);
        services.AddSingleton<TimeProvider>(new SettableClock(At("2026-03-05T12:30:00Z")));
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<RecordRetention>().RunOnceAsync(CancellationToken.None);

        Assert.Equal((2, 2, 1), (report.Calls, report.IndexEntities, report.DayTables));
        Assert.Empty(await RowKeysAsync(tables.Outcomes, "old"));
        Assert.Empty(await RowKeysAsync(tables.Outcomes, "cutoff-day"));
        Assert.Empty(await RowKeysAsync(cutoffDay, "2026020308"));
        Assert.Equal(["call", "claim-reject"], await RowKeysAsync(tables.Outcomes, "kept"));
        Assert.Equal(["kept"], await RowKeysAsync(cutoffDay, "2026020315"));
        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => wholeDay.GetEntityAsync<TableEntity>("2026011008", "old"));
        Assert.All(batches, b => Assert.Equal(1, b.Hits));
        Assert.Equal(1, drop.Hits);
    }
}
