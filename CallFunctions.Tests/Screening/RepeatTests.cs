using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using CallFunctions.Records;
using Microsoft.Extensions.DependencyInjection;

namespace CallFunctions.Tests.Screening;

/// <summary>Repeat rules through two hosts on the same tables: rings counted in Table Storage, on every instance.</summary>
public sealed class RepeatTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>A caller of its own per test: a pooled host's tables are emptied between tests, but not by other runs.</summary>
    private static string NewNumber() => "+1425" + Random.Shared.Next(2_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    private static async Task<string> OutcomeAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]![0]!["outcome"]!.GetValue<string>();

    private static async Task<int> RingRowsAsync(TestApp app, string number)
    {
        var rows = 0;
        try
        {
            await foreach (var _ in app.RingsTable.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"phone:" + number}"))) rows++;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
        }
        return rows;
    }

    [Fact]
    public async Task ARepeatRuleRejectsTheThirdRingOfACallerSentToTwoInstancesAlternatelyAndNotTheSecond()
    {
        await using var one = await TestApp.StartAsync([Rows.Rule("robot", 10, "Reject", reason: "Busy").With("Repeat", "3/10m")]);
        await using var two = await one.AnotherInstanceAsync();
        var caller = NewNumber();
        var rings = Enumerable.Range(0, 4).Select(_ => Notify.NewCallId()).ToList();
        var other = Notify.NewCallId();

        var outcomes = new List<string>();
        for (var i = 0; i < rings.Count; i++)
        {
            outcomes.Add(await OutcomeAsync(await (i % 2 == 0 ? one : two).NotifyAsync(Notify.Incoming(rings[i], Notify.Phone(caller)))));
            if (i == 1)
            {
                // Before the 3rd ring, explain counts what it would be, and writes nothing.
                var explained = JsonNode.Parse(await (await one.PostAsync("/api/rules/explain", Notify.Incoming(Notify.NewCallId(), Notify.Phone(caller))))
                    .Content.ReadAsStringAsync())!;
                var condition = explained["items"]![0]!["rules"]![0]!["conditions"]![0]!;
                Assert.Equal("Repeat", condition["column"]!.GetValue<string>());
                Assert.True(condition["holds"]!.GetValue<bool>());
                Assert.Equal($"ring 3 of caller phone:{caller} within 10m, this ring included", condition["detail"]!.GetValue<string>());
                Assert.Equal(2, await RingRowsAsync(one, caller));
            }
        }
        var otherOutcome = await OutcomeAsync(await two.NotifyAsync(Notify.Incoming(other, Notify.Phone(NewNumber()))));

        Assert.Equal(["allowed", "allowed", "rejected", "rejected"], outcomes);
        Assert.Equal("allowed", otherOutcome);
        Assert.Empty(one.GraphRequestsFor(rings[1]));
        Assert.Equal($$"""{"callbackUri":"{{TestApp.CallbackUri}}","reason":"busy"}""", Assert.Single(one.GraphRequestsFor(rings[2])).Body);
        Assert.Equal("robot", (await one.RecordAsync(rings[2]))!.GetString("Rule"));
        Assert.Equal("(default)", (await one.RecordAsync(rings[1]))!.GetString("Rule"));
        Assert.Equal(4, await RingRowsAsync(one, caller));
    }

    [Fact]
    public async Task AnonymousCallersAreNeverCountedTogether()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("robot", 10, "Reject", reason: "Busy").With("Repeat", "2/10m")]);
        var calls = Enumerable.Range(0, 3).Select(_ => Notify.NewCallId()).ToList();

        foreach (var call in calls) await app.NotifyAsync(Notify.Incoming(call, Notify.Phone("anonymous")));

        Assert.Empty(app.Graph.Requests);
        Assert.All(await app.AllRecordsAsync(), r => Assert.Equal("(default)", r.GetString("Rule")));
    }

    [Fact]
    public async Task ARingJustOutsideTheWindowDoesNotCount()
    {
        await using var first = await TestApp.StartAsync([Rows.Rule("again", 10, "Reject", reason: "Busy").With("Repeat", "2/10m")],
            now: At("2027-01-13T12:00:00Z"));
        var caller = NewNumber();
        var (ring1, ring2, ring3) = (Notify.NewCallId(), Notify.NewCallId(), Notify.NewCallId());
        await first.NotifyAsync(Notify.Incoming(ring1, Notify.Phone(caller)));
        var rang = (await first.RecordAsync(ring1))!.GetDateTimeOffset("ReceivedAt")!.Value;

        // The second instance's clock starts a second past the window's end after the first ring, and runs on.
        await using var later = await first.AnotherInstanceAsync(now: rang + TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var second = await OutcomeAsync(await later.NotifyAsync(Notify.Incoming(ring2, Notify.Phone(caller))));
        var third = await OutcomeAsync(await later.NotifyAsync(Notify.Incoming(ring3, Notify.Phone(caller))));

        Assert.Equal("allowed", second);
        Assert.Equal("rejected", third);
        Assert.True((await later.RecordAsync(ring2))!.GetDateTimeOffset("ReceivedAt") - rang > TimeSpan.FromMinutes(10));
        Assert.Single(first.Graph.Requests);
    }

    [Fact]
    public async Task RetentionDeletesTheCountedRingsWithTheRecords()
    {
        var clock = new SettableClock(At("2026-01-10T08:15:00Z"));
        await using var app = await TestApp.StartAsync([Rows.Rule("again", 10, "Reject", reason: "Busy").With("Repeat", "2/10m")],
            settings: new Dictionary<string, string?> { ["Outcomes:RetentionDays"] = "30" }, now: clock.GetUtcNow());
        var caller = NewNumber();
        await app.NotifyAsync(Notify.Incoming(Notify.NewCallId(), Notify.Phone(caller)));
        await using var later = await app.AnotherInstanceAsync(now: At("2026-03-01T10:15:00Z"));
        await later.NotifyAsync(Notify.Incoming(Notify.NewCallId(), Notify.Phone(caller)));
        Assert.Equal(2, await RingRowsAsync(app, caller));

        clock.Set(At("2026-03-05T00:00:00Z"));
        await using var services = app.InProcess(clock);
        var report = await services.GetRequiredService<RecordRetention>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, report.Rings);
        var left = new List<TableEntity>();
        await foreach (var row in app.RingsTable.QueryAsync<TableEntity>()) left.Add(row);
        Assert.Equal(At("2026-03-01T10:15:00Z"), Assert.Single(left).GetDateTimeOffset("RangAt")!.Value, TimeSpan.FromMinutes(1));
    }
}
