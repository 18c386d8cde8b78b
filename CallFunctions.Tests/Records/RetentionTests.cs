using System.Globalization;
using Azure.Data.Tables;
using CallFunctions.Records;
using Microsoft.Extensions.DependencyInjection;

namespace CallFunctions.Tests.Records;

/// <summary>Outcomes__RetentionDays: records, claims and index entries older than that are deleted, through the index.</summary>
public sealed class RetentionTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>A call rejected on 2026-01-10 by <paramref name="app"/> (its clock starts then), one on 2026-03-01 by another instance.</summary>
    private static async Task<(string Old, string Recent)> TwoRejectedCallsAsync(TestApp app)
    {
        var old = Notify.NewCallId();
        var recent = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(old, Notify.Phone("+19005550100")));
        await app.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(old)));
        await app.WaitForRecordAsync(old, r => r.ContainsKey("TerminatedAt"));
        await using var later = await app.AnotherInstanceAsync(now: At("2026-03-01T10:15:00Z"));
        await later.NotifyAsync(Notify.Incoming(recent, Notify.Phone("+19005550101")));
        await later.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(recent)));
        await later.WaitForRecordAsync(recent, r => r.ContainsKey("TerminatedAt"));
        return (old, recent);
    }

    private static async Task<List<string>> PartitionAsync(TableClient table, string partition)
    {
        var rows = new List<string>();
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"))) rows.Add(row.RowKey);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
        }
        return [.. rows.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task RecordsClaimsAndIndexOlderThanTheRetentionGoAndRecentOnesStay()
    {
        var clock = new SettableClock(At("2026-01-10T08:15:00Z"));
        await using var app = await TestApp.StartAsync([Rows.Rule("block-premium", 10, "Reject", caller: "+1900*")],
            settings: new Dictionary<string, string?> { ["Outcomes:RetentionDays"] = "30" }, now: clock.GetUtcNow());
        var (old, recent) = await TwoRejectedCallsAsync(app);
        Assert.Equal(["call", "claim-reject"], await PartitionAsync(app.Outcomes, old));

        clock.Set(At("2026-03-05T00:00:00Z"));
        await using var services = app.InProcess(clock);
        var report = await services.GetRequiredService<RecordRetention>().RunOnceAsync(CancellationToken.None);

        Assert.Equal((1, 1, 1), (report.Calls, report.IndexEntities, report.DayTables));
        Assert.Equal(At("2026-02-03T00:00:00Z"), report.Cutoff!.Value, TimeSpan.FromMinutes(1));
        Assert.Empty(await PartitionAsync(app.Outcomes, old));
        Assert.Empty(await PartitionAsync(app.IndexTable("20260110"), "2026011008"));
        Assert.Equal(["call", "claim-reject"], await PartitionAsync(app.Outcomes, recent));
        Assert.Equal([recent], await PartitionAsync(app.IndexTable("20260301"), "2026030110"));
    }

    [Fact]
    public async Task TheHoursBeforeTheCutoffGoInTransactionsOfAtMostAHundred()
    {
        var clock = new SettableClock(At("2026-03-31T12:30:00Z"));
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Outcomes:RetentionDays"] = "30" }, now: clock.GetUtcNow());
        // 250 calls rang in one hour of the cutoff's day, before it; one rang in the cutoff's own hour and stays.
        var day = app.IndexTable("20260301");
        await day.CreateIfNotExistsAsync();
        var old = Enumerable.Range(0, 250).Select(i => $"old-{i:D3}").ToList();
        foreach (var chunk in old.Chunk(100))
            await day.SubmitTransactionAsync(chunk.Select(id => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("2026030110", id))));
        await day.AddEntityAsync(new TableEntity("2026030112", "kept"));
        await app.Outcomes.CreateIfNotExistsAsync();
        foreach (var id in old.Append("kept"))
            await app.Outcomes.SubmitTransactionAsync([
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(id, "call") { ["CallId"] = id }),
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(id, "claim-reject"))]);

        await using var services = app.InProcess(clock);
        var report = await services.GetRequiredService<RecordRetention>().RunOnceAsync(CancellationToken.None);

        Assert.Equal((250, 250, 0), (report.Calls, report.IndexEntities, report.DayTables));
        Assert.Empty(await PartitionAsync(day, "2026030110"));
        Assert.Equal(["kept"], await PartitionAsync(day, "2026030112"));
        Assert.Empty(await PartitionAsync(app.Outcomes, "old-123"));
        Assert.Equal(["call", "claim-reject"], await PartitionAsync(app.Outcomes, "kept"));
    }

    [Fact]
    public async Task ZeroKeepsEverything()
    {
        var clock = new SettableClock(At("2026-01-10T08:15:00Z"));
        await using var app = await TestApp.StartAsync([Rows.Rule("block-premium", 10, "Reject", caller: "+1900*")],
            settings: new Dictionary<string, string?> { ["Outcomes:RetentionDays"] = "0" }, now: clock.GetUtcNow());
        var (old, _) = await TwoRejectedCallsAsync(app);

        clock.Set(At("2036-03-05T00:00:00Z"));
        await using var services = app.InProcess(clock);
        var report = await services.GetRequiredService<RecordRetention>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(new RetentionReport(null, 0, 0, 0), report);
        Assert.Equal(["call", "claim-reject"], await PartitionAsync(app.Outcomes, old));
        Assert.Equal([old], await PartitionAsync(app.IndexTable("20260110"), "2026011008"));
    }
}
