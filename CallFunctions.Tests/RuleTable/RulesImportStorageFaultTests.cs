namespace CallFunctions.Tests.RuleTable;

/// <summary><c>rules import</c> through the storage stand-in: a transaction applied whose answer was lost is not a failure.</summary>
public sealed class RulesImportStorageFaultTests
{
    [Fact]
    public async Task AnImportWhoseTransactionWasAppliedButItsAnswerLostSucceedsWithTheTableHoldingExactlyTheFile()
    {
        await using var tables = await TestTables.CreateAsync(
            [Rows.Rule("keep", 10, "Allow", caller: "+14255550123"), Rows.Rule("gone", 20, "Reject", caller: "+1900*")]);
        await using var storage = await StorageStandIn.StartAsync(tables.Storage);
        // The SDK sends the transaction again and its delete of "gone" meets 404: Table Storage refuses the whole batch.
        var lost = storage.Inject(r => r.Table == "$batch", StorageFault.LoseAnswer);
        var file = Path.Combine(Directory.CreateTempSubdirectory("rules-").FullName, "rules.json");
        await File.WriteAllTextAsync(file, """
            [
              { "PartitionKey": "default", "RowKey": "keep", "Priority": 10, "Action": "Reject", "Reason": "Busy", "Caller": "+14255550123" },
              { "PartitionKey": "default", "RowKey": "weekend", "Priority": 30, "Action": "Reject", "Days": "Sat,Sun", "TimeZone": "Europe/Paris" }
            ]
            """);

        var result = await Cli.RunAsync(storage.ConnectionString, tables.Rules, tables.Outcomes, "rules", "import", file, "--prune");

        Assert.True(result.Code == 0, result.ToString());
        Assert.Contains("  removed    default/gone", result.Output, StringComparison.Ordinal);
        var rows = await tables.RuleRowsAsync();
        Assert.Equal(["keep", "weekend"], rows.Select(r => r.RowKey));
        Assert.Equal("Busy", rows[0].GetString("Reason"));
        Assert.Equal("Sat,Sun", rows[1].GetString("Days"));
        Assert.Equal(1, lost.Hits);
        Assert.True(storage.Requests.Count(r => r.Table == "$batch") >= 2, "the transaction was sent again");
    }
}
