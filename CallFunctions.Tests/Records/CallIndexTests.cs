using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace CallFunctions.Tests.Records;

/// <summary>The time-bucketed index written with each record, and the summary that reads only the period's part of it.</summary>
public sealed class CallIndexTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public async Task EachRecordIsFiledUnderTheHourOfItsRingAndOfItsEndInTheDaysTable()
    {
        // The host cannot be handed a clock object: the app's clock starts at 12:58:30 (it rings once the host is up,
        // seconds later, still in hour 12), and another instance, its clock started at 13:00:05, records the end.
        await using var app = await TestApp.StartAsync([Rows.Rule("block-premium", 10, "Reject", caller: "+1900*")], now: At("2026-03-10T12:58:30Z"));
        var callId = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+19005550100")));
        var receivedAt = (await app.WaitForRecordAsync(callId, r => r.ContainsKey("Action"))).GetDateTimeOffset("ReceivedAt")!.Value;
        Assert.InRange(receivedAt, At("2026-03-10T12:58:30Z"), At("2026-03-10T12:59:59Z"));
        await using (var later = await app.AnotherInstanceAsync(now: At("2026-03-10T13:00:05Z")))
        {
            await later.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(callId, 200, 5001, "The conversation has ended.")));
            await later.WaitForRecordAsync(callId, r => r.ContainsKey("TerminatedAt"));
        }

        var rang = (await app.IndexTable("20260310").GetEntityAsync<TableEntity>("2026031012", callId)).Value;
        var ended = (await app.IndexTable("20260310").GetEntityAsync<TableEntity>("2026031013", callId)).Value;

        foreach (var entry in new[] { rang, ended })
        {
            Assert.Equal("phone:+19005550100", entry.GetString("Caller"));
            Assert.Equal("block-premium", entry.GetString("Rule"));
            Assert.Equal("Reject", entry.GetString("Action"));
            Assert.Equal("PeerToPeer", entry.GetString("CallType"));
            Assert.Equal(receivedAt, entry.GetDateTimeOffset("ReceivedAt")!.Value);
            // The ring's entry learns how the call ended (upsert-merge), the end's entry carries the decision.
            Assert.Equal(200, entry.GetInt32("Code"));
            Assert.Equal(5001, entry.GetInt32("Subcode"));
            Assert.Equal("The conversation has ended.", entry.GetString("Meaning"));
        }
        // The call's own record stays where the webhook finds it.
        Assert.Equal("block-premium", (await app.RecordAsync(callId))!.GetString("Rule"));
    }

    [Fact]
    public async Task ASummaryReadsTheDaysAndHoursOfItsPeriodOnly()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("block-premium", 10, "Reject", caller: "+1900*")], now: At("2026-03-05T09:00:00Z"));
        var before = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(before, Notify.Phone("+19005550100")));
        await app.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(before)));
        await app.WaitForRecordAsync(before, r => r.ContainsKey("TerminatedAt"));
        // Five days later: another instance, its clock started then.
        var inPeriod = Notify.NewCallId();
        await using (var later = await app.AnotherInstanceAsync(now: At("2026-03-10T09:00:00Z")))
        {
            await later.NotifyAsync(Notify.Incoming(inPeriod, Notify.Phone("+14255550123")));
            await later.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(inPeriod, 200, 5001)));
            await later.WaitForRecordAsync(inPeriod, r => r.ContainsKey("TerminatedAt"));
        }
        // Planted where only a query outside the period would find them: in another day's table, in another hour of
        // the day, and among the records themselves (no index entry). Each claims to have ended in the period.
        var planted = new TableEntity("x", "x") { ["TerminatedAt"] = At("2026-03-10T09:30:00Z"), ["Rule"] = "planted", ["Action"] = "Allow" };
        await app.IndexTable("20260305").UpsertEntityAsync(new TableEntity("2026030509", "planted-day") { ["TerminatedAt"] = planted["TerminatedAt"], ["Rule"] = "planted", ["Action"] = "Allow" });
        await app.IndexTable("20260310").UpsertEntityAsync(new TableEntity("2026031015", "planted-hour") { ["TerminatedAt"] = planted["TerminatedAt"], ["Rule"] = "planted", ["Action"] = "Allow" });
        await app.Outcomes.UpsertEntityAsync(new TableEntity("planted-record", "call") { ["TerminatedAt"] = planted["TerminatedAt"], ["Rule"] = "planted", ["Action"] = "Allow" });

        var response = await app.Client.GetAsync("/api/outcomes/summary?from=2026-03-10T08:00:00Z&to=2026-03-10T10:00:00Z");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(1, body["terminations"]!.GetValue<int>());
        Assert.Equal("""[{"rule":"(default)","action":"Allow","count":1,"target":null}]""", body["byRule"]!.ToJsonString());
        var all = await app.RunCommandAsync("outcomes", "summary", "--from", "2026-03-01", "--to", "2026-03-11");
        Assert.Contains("Terminations from 2026-03-01T00:00:00Z to 2026-03-11T00:00:00Z: 4", all.Output, StringComparison.Ordinal);
    }
}
