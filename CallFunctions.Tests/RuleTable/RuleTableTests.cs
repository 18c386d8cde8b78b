using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace CallFunctions.Tests.RuleTable;

public sealed class RuleTableTests
{
    [Fact]
    public async Task SkipsABrokenRowWithAWarningAndKeepsTheOthersWorking()
    {
        var broken = Rows.Rule("typo", 1, "Rejekt", caller: "+1425*");
        var badRegex = Rows.Rule("bad-regex", 2, "Reject", caller: "re:^(+44");
        var badPriority = new TableEntity("default", "no-number") { ["Priority"] = "first", ["Action"] = "Reject" };
        await using var app = await TestApp.StartAsync([broken, badRegex, badPriority, Rows.Rule("good", 3, "Reject", caller: "+1425*", reason: "Busy")], ownHost: true);
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.Equal("good", (await app.RecordAsync(callId))!.GetString("Rule"));
        var warnings = (await app.Logs.MatchingAsync(l => l.Level == LogLevel.Warning && l.EventId == 3002)).Select(l => l.Message).ToList();
        Assert.Contains(warnings, w => w.Contains("PartitionKey=default RowKey=typo: column Action = \"Rejekt\"", StringComparison.Ordinal)
                                       && w.Contains("must be one of Allow, Reject, HangUp", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("RowKey=bad-regex: column Caller", StringComparison.Ordinal)
                                       && w.Contains("bad regular expression", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("RowKey=no-number: column Priority = \"first\" must be an Int32", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEditInTheTableTakesEffectWithoutARestart()
    {
        await using var app = await TestApp.StartAsync(
            [Rows.Rule("block", 1, "Reject", caller: "+1425*")],
            new Dictionary<string, string?> { ["Rules:RefreshSeconds"] = "1" }, ownHost: true);
        var before = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(before, Notify.Phone("+14255550123")));
        Assert.Single(app.GraphRequestsFor(before));

        var edited = Rows.Rule("block", 1, "Reject", caller: "+1425*", enabled: false);
        await app.Rules.UpsertEntityAsync(edited, TableUpdateMode.Replace);
        await app.Rules.AddEntityAsync(Rows.Rule("block-uk", 2, "Reject", caller: "+44*", reason: "Forbidden"));
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        var after = Notify.NewCallId();
        var uk = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(after, Notify.Phone("+14255550123")));
        await app.NotifyAsync(Notify.Incoming(uk, Notify.Phone("+442071838750")));

        Assert.Empty(app.GraphRequestsFor(after));
        Assert.Contains("forbidden", Assert.Single(app.GraphRequestsFor(uk)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesAreNotReadAgainBeforeTheRefreshIntervalHasPassed()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("block", 1, "Reject", caller: "+1425*")], ownHost: true);
        await app.NotifyAsync(Notify.Incoming(Notify.NewCallId(), Notify.Phone("+14255550123")));

        await app.Rules.DeleteEntityAsync("default", "block");
        var callId = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.Single(app.GraphRequestsFor(callId));
        Assert.Single(await app.Logs.MatchingAsync(l => l.EventId == 3001));
    }

    [Fact]
    public async Task CreatesAMissingRulesTableAndAppliesTheDefaultAction()
    {
        // A table that never existed (not one deleted after start-up, which the cache may have read already).
        var missing = "Missing" + Guid.NewGuid().ToString("N")[..12];
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Rules:Table"] = missing }, ownHost: true);
        var service = new TableServiceClient(app.Storage.ConnectionString);
        var callId = Notify.NewCallId();

        try
        {
            var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
            Assert.Empty(app.Graph.Requests);
            Assert.Equal("Allow", (await app.RecordAsync(callId))!.GetString("Action"));
            var tables = new List<string>();
            await foreach (var table in service.QueryAsync(filter: $"TableName eq '{missing}'")) tables.Add(table.Name);
            Assert.Equal([missing], tables);
        }
        finally
        {
            await service.DeleteTableAsync(missing);
        }
    }
}
