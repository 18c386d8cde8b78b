using Azure.Data.Tables;
using CallFunctions.RuleTable.Files;

namespace CallFunctions.Tests.Operators.RulesTool;

/// <summary><c>rules validate</c>, <c>export</c>, <c>import</c> and <c>seed</c> against real tables in Azurite.</summary>
public sealed class RulesToolTests
{
    [Fact]
    public async Task ValidateListsEveryRowAndSaysWhatIsWrongWithTheBadOnes()
    {
        var misspelt = Rows.Rule("typo", 50, "Reject");
        misspelt["caller"] = "+1900*";
        await using var tables = await TestTables.CreateAsync(
        [
            Rows.Rule("reception", 10, "Allow", caller: "+14255550123"),
            Rows.Rule("paris-hours", 20, "Allow", hours: "09:00-17:00", timeZone: "Europe/Pariss"),
            Rows.Rule("drop", 30, "HangUp", reason: "Busy"),
            Rows.Rule("a", 40, "Reject", caller: "+44*"),
            Rows.Rule("b", 40, "Reject", caller: "+33*"),
            Rows.Rule("old", 40, "Reject", enabled: false),
            misspelt,
        ]);

        var result = await tables.RunAsync("rules", "validate");

        Assert.True(result.Code == 1, result.ToString());
        var lines = result.Output.Split('\n');
        Assert.Contains("ok       PartitionKey=default RowKey=reception", lines);
        Assert.Contains("ok       PartitionKey=default RowKey=old (disabled)", lines);
        Assert.Contains(lines, l => l.StartsWith(
            "error    PartitionKey=default RowKey=paris-hours: column TimeZone = \"Europe/Pariss\" is not a known time zone", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(
            "error    PartitionKey=default RowKey=drop: column Reason = \"Busy\" applies only to Reject rules", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(
            "warning  PartitionKey=default RowKey=a: column Priority = \"40\" is also the Priority of enabled rule(s) b", StringComparison.Ordinal));
        Assert.Contains(
            "warning  PartitionKey=default RowKey=typo: column caller = \"+1900*\" is ignored: column names are case-sensitive, did you mean Caller?",
            lines);
        Assert.Contains("7 row(s), 2 ok, 3 with warnings, 2 with errors", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateExitsZeroWhenOnlyWarningsRemain()
    {
        await using var tables = await TestTables.CreateAsync([Rows.Rule("zone-only", 1, "Reject", timeZone: "Asia/Tokyo")]);

        var result = await tables.RunAsync("rules", "validate");

        Assert.True(result.Code == 0, result.ToString());
        Assert.Contains("column TimeZone = \"Asia/Tokyo\" has no effect without Days, Hours or Dates", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rules.json")]
    [InlineData("rules.csv")]
    public async Task ExportAndImportRoundTripTheTableWithEveryColumnType(string name)
    {
        await using var source = await TestTables.CreateAsync(TypedRows());
        await using var target = await TestTables.CreateAsync();
        var file = Path.Combine(Directory.CreateTempSubdirectory("rules-").FullName, name);

        var exported = await source.RunAsync("rules", "export", file);
        var imported = await target.RunAsync("rules", "import", file);
        var again = await target.RunAsync("rules", "import", file);
        var copy = Path.ChangeExtension(file, ".again" + Path.GetExtension(file));
        var reexported = await target.RunAsync("rules", "export", copy);

        Assert.True(exported.Code == 0, exported.ToString());
        Assert.True(imported.Code == 0, imported.ToString());
        Assert.Contains("3 added, 0 updated, 0 unchanged, 0 removed", imported.Output, StringComparison.Ordinal);
        Assert.Contains("0 added, 0 updated, 3 unchanged, 0 removed", again.Output, StringComparison.Ordinal);
        Assert.Equal(Describe(await source.RuleRowsAsync()), Describe(await target.RuleRowsAsync()));
        Assert.True(reexported.Code == 0, reexported.ToString());
        Assert.Equal(await File.ReadAllTextAsync(file), await File.ReadAllTextAsync(copy));
    }

    [Fact]
    public async Task ExportWritesJsonThatShowsTypesOnlyWhereThePlainValueWouldLoseThem()
    {
        await using var tables = await TestTables.CreateAsync(TypedRows());

        var result = await tables.RunAsync("rules", "export");

        Assert.True(result.Code == 0, result.ToString());
        Assert.Contains("\"Priority\": 10,", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"Enabled\": true,", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"Big\": \"9007199254740993\",\n    \"Big@odata.type\": \"Edm.Int64\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"Ratio\": 2,\n    \"Ratio@odata.type\": \"Edm.Double\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"Since\": \"2026-03-29T01:02:03.1230000Z\",\n    \"Since@odata.type\": \"Edm.DateTime\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("Exported 3 row(s)", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rules.json")]
    [InlineData("rules.csv")]
    public async Task AnImportWithOneBadRowChangesNothing(string name)
    {
        await using var tables = await TestTables.CreateAsync(
            [Rows.Rule("keep", 10, "Allow", caller: "+14255550123"), Rows.Rule("other", 20, "Reject", caller: "+1900*")]);
        var before = Describe(await tables.RuleRowsAsync());
        var file = Path.Combine(Directory.CreateTempSubdirectory("rules-").FullName, name);
        await File.WriteAllTextAsync(file, RulesFile.Write(
        [
            Rows.Rule("keep", 10, "Reject", caller: "+14255550123"),
            Rows.Rule("new", 30, "Reject", caller: "+44*"),
            Rows.Rule("nights", 40, "Reject", hours: "22:00-22:00"),
        ], RulesFile.FormatOf(file)));

        var result = await tables.RunAsync("rules", "import", file, "--prune");

        Assert.True(result.Code == 1, result.ToString());
        Assert.Contains(
            "error    PartitionKey=default RowKey=nights: column Hours = \"22:00-22:00\" \"22:00-22:00\" starts and ends at the same time",
            result.Error, StringComparison.Ordinal);
        Assert.Contains("1 of 3 row(s) have errors. Nothing was changed.", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, Describe(await tables.RuleRowsAsync()));
    }

    [Fact]
    public async Task ImportWithPruneMakesTheTableHoldExactlyTheFile()
    {
        await using var tables = await TestTables.CreateAsync(
            [Rows.Rule("keep", 10, "Allow", caller: "+14255550123"), Rows.Rule("gone", 20, "Reject", caller: "+1900*")]);
        var file = Path.Combine(Directory.CreateTempSubdirectory("rules-").FullName, "rules.json");
        await File.WriteAllTextAsync(file, """
            [
              { "PartitionKey": "default", "RowKey": "keep", "Priority": 10, "Action": "Reject", "Reason": "Busy", "Caller": "+14255550123" },
              { "PartitionKey": "default", "RowKey": "weekend", "Priority": 30, "Action": "Reject", "Days": "Sat,Sun", "TimeZone": "Europe/Paris" }
            ]
            """);

        var result = await tables.RunAsync("rules", "import", file, "--prune");

        Assert.True(result.Code == 0, result.ToString());
        Assert.Contains("  added      default/weekend", result.Output, StringComparison.Ordinal);
        Assert.Contains("  updated    default/keep", result.Output, StringComparison.Ordinal);
        Assert.Contains("  removed    default/gone", result.Output, StringComparison.Ordinal);
        Assert.Equal(["keep", "weekend"], (await tables.RuleRowsAsync()).Select(r => r.RowKey));
        Assert.Equal("Busy", (await tables.RuleRowsAsync())[0].GetString("Reason"));
    }

    [Fact]
    public async Task SeedFillsAnEmptyTableFromTheExampleFileAndLeavesAFilledOneAlone()
    {
        await using var tables = await TestTables.CreateAsync();

        var first = await tables.RunAsync("rules", "seed", Repo.Path("samples", "rules.example.json"));
        var second = await tables.RunAsync("rules", "seed", Repo.Path("samples", "rules.example.json"));

        Assert.True(first.Code == 0, first.ToString());
        Assert.Contains("Seeded 5 example rule(s)", first.Output, StringComparison.Ordinal);
        Assert.Equal(5, (await tables.RuleRowsAsync()).Count);
        Assert.Contains("already has rules: nothing seeded", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePhoneLineSampleImportsCleanly()
    {
        await using var tables = await TestTables.CreateAsync();

        var result = await tables.RunAsync("rules", "import", Repo.Path("samples", "rules.phone-line.json"));

        Assert.True(result.Code == 0 && result.Error.Length == 0, result.ToString());
        Assert.Contains("7 added, 0 updated, 0 unchanged, 0 removed", result.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await tables.RunAsync("rules", "validate")).Code);
    }

    [Fact]
    public async Task TheFrontDoorSampleImportsCleanlyAndSendsAnUnknownCallerToTheFrontDesk()
    {
        await using var tables = await TestTables.CreateAsync();

        var import = await tables.RunAsync("rules", "import", Repo.Path("samples", "rules.front-door.json"));
        // Sunday morning in Seattle: not a weeknight, so the last rule decides.
        var explain = await tables.RunAsync("rules", "explain", Repo.Path("samples", "incoming-pstn.json"), "--at", "2026-03-29T10:00:00-07:00");

        Assert.True(import.Code == 0 && import.Error.Length == 0, import.ToString());
        Assert.Contains("7 added, 0 updated, 0 unchanged, 0 removed", import.Output, StringComparison.Ordinal);
        Assert.True(explain.Code == 0, explain.ToString());
        Assert.Contains("Repeat \"4/10m\": does not hold, ring 1 of caller phone:+14255550123 within 10m", explain.Output, StringComparison.Ordinal);
        Assert.Contains("  decision Redirect to applicationInstance:0c6f2b9e-8f1a-4e0a-9d2b-3c4d5e6f7a8b, phone:+14255550100 by rule front-desk",
            explain.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBuiltExecutableRunsTheToolsAndExitsNonZeroOnABadRow()
    {
        await using var tables = await TestTables.CreateAsync([Rows.Rule("typo", 1, "Rejekt")]);

        var exit = await AppProcess.RunUntilExitAsync(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = tables.Storage.ConnectionString,
            ["Rules__Table"] = tables.Rules.Name,
        }, TimeSpan.FromSeconds(60), "rules", "validate");

        Assert.NotNull(exit);
        Assert.True(exit.Code == 1, exit.Output + exit.Error);
        Assert.Contains("error    PartitionKey=default RowKey=typo: column Action = \"Rejekt\" must be one of Allow, Reject, HangUp", exit.Output,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rules import", "Error: rules import needs <file> [--prune]")]
    [InlineData("rules validat", "Error: unknown command: rules validat")]
    [InlineData("rules validate extra.json", "Error: rules validate takes no argument")]
    [InlineData("outcomes list --from 2026-03-01", "Error: outcomes list has no option --from")]
    [InlineData("calls list", "Error: unknown command: calls list")]
    [InlineData("rules validate --prnue", "Error: unknown option --prnue")]
    [InlineData("rules explain n.json --at", "Error: --at needs a value")]
    [InlineData("rules export --format xml", "--format must be json or csv, not \"xml\".")]
    public async Task AWrongCommandLineExitsWithUsage(string args, string message)
    {
        await using var tables = await TestTables.CreateAsync();

        var result = await tables.RunAsync(args.Split(' '));

        Assert.Equal(64, result.Code);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    /// <summary>Every type the Table service stores, and text that CSV has to quote.</summary>
    private static TableEntity[] TypedRows()
    {
        var typed = Rows.Rule("typed", 10, "Reject", caller: "+1900*, re:^\\+44(9|87)", enabled: true);
        typed["Description"] = "Premium lines, \"all\" of them\nsecond line";
        typed["Big"] = 9007199254740993L;
        typed["Ratio"] = 2.0;
        typed["Small"] = 0.1;
        typed["Since"] = new DateTimeOffset(2026, 3, 29, 1, 2, 3, 123, TimeSpan.Zero);
        typed["Id"] = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        typed["Blank"] = "";
        typed["Bytes"] = new byte[] { 1, 2, 250 };
        return
        [
            typed,
            Rows.Rule("office", 5, "Allow", days: "Mon-Fri", hours: "09:00-17:30", timeZone: "Europe/Paris", scope: Notify.Tenant),
            Rows.Rule("holidays", 1, "Reject", reason: "Busy", dates: "2026-12-24..2026-12-26,2027-01-01"),
        ];
    }

    /// <summary>Every column of every row with its .NET type, so a change of type shows as a difference.</summary>
    private static List<string> Describe(IEnumerable<TableEntity> rows) =>
    [
        .. rows.Select(r => string.Join("; ", r.Keys
            .Where(k => k is not ("odata.etag" or "Timestamp"))
            .Order(StringComparer.Ordinal)
            .Select(k => $"{k}={Value(r[k])}:{r[k]?.GetType().Name}"))),
    ];

    private static string? Value(object? value) => value switch
    {
        byte[] bytes => Convert.ToBase64String(bytes),
        BinaryData data => Convert.ToBase64String(data.ToArray()),
        DateTimeOffset time => time.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
