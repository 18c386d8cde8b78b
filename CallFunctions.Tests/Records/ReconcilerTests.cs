using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using CallFunctions.Graph;
using CallFunctions.Records;
using Microsoft.Extensions.DependencyInjection;

namespace CallFunctions.Tests.Records;

/// <summary>
/// The reconciler (issue 34) run by the host's timer function, triggered through the host's admin API on an app whose
/// clock is pinned (<c>Diagnostics__ClockStart</c>); the calls are recorded by the app's own record store beforehand.
/// </summary>
public sealed class ReconcilerTests
{
    private static readonly DateTimeOffset T0 = At("2026-03-10T12:00:00Z");

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>Records calls as the webhook records them (record and index entry), rung at the given times.</summary>
    internal static async Task RingAsync(TestApp app, params (string CallId, DateTimeOffset RangAt, DateTimeOffset? BotInCallUntil)[] calls)
    {
        await using var services = app.InProcess(new SettableClock(T0));
        var records = services.GetRequiredService<CallRecords>();
        foreach (var (callId, rang, until) in calls)
        {
            var ring = CallRecord.New(callId);
            ring["ReceivedAt"] = rang;
            ring["DecidedAt"] = rang;
            ring["Caller"] = "phone:+14255550123";
            ring["CallType"] = "PeerToPeer";
            ring["Rule"] = "(default)";
            ring["Action"] = "Allow";
            if (until is { } time) ring[Reconciler.BotInCallUntil] = time;
            await records.WriteAsync(ring, CancellationToken.None);
        }
    }

    /// <summary>Runs the timer function now through the host's admin API and waits for its run's line (event 4050 or 4051).</summary>
    internal static async Task<string> ReconcileAsync(TestApp app)
    {
        static bool IsRun(LogLine l) => l.EventId is 4050 or 4051;
        var before = (await app.Logs.CountAsync(IsRun, 0, TimeSpan.Zero)).Count;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/functions/OutcomesReconcile")
        {
            Content = new StringContent("{\"input\":\"\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-functions-key", FunctionsHost.MasterKey);
        var response = await app.Anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runs = await app.Logs.CountAsync(IsRun, before + 1, TimeSpan.FromSeconds(60));
        Assert.True(runs.Count > before, "The reconciler did not log its run:\n" + app.Logs);
        return runs[before].Message;
    }

    private static IEnumerable<GraphRequest> Gets(TestApp app, string callId) =>
        app.GraphRequestsFor(callId).Where(r => r.Method == "GET");

    private static async Task<JsonNode> SummaryAsync(TestApp app) =>
        JsonNode.Parse(await app.Client.GetStringAsync("/api/outcomes/summary?from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z"))!;

    private static JsonNode? NotReportedLine(JsonNode summary) =>
        summary["byCode"]!.AsArray().SingleOrDefault(c => c!["notReported"]?.GetValue<bool>() == true);

    [Fact]
    public async Task ACallWithNoEndIsClosedAfterThePeriodALiveOneIsAskedAgainAPeriodLaterAndALateTerminationWins()
    {
        await using var app = await TestApp.StartAsync(now: T0);
        string gone = Notify.NewCallId(), live = Notify.NewCallId(), young = Notify.NewCallId(), ended = Notify.NewCallId();
        await RingAsync(app, (gone, T0.AddHours(-2), null), (live, T0.AddMinutes(-90), null), (young, T0.AddMinutes(-5), null),
            (ended, T0.AddHours(-2), null));
        await app.PostAsync("/api/calls/outcomes", Notify.Sample("terminated-5001.json", ended));
        await app.WaitForRecordAsync(ended, r => r.ContainsKey("TerminatedAt"));
        app.Graph.LiveCalls[live] = true;

        var first = await ReconcileAsync(app);

        Assert.Contains("3 call(s) recorded without an end, 2 due; 1 closed (ended, not reported by Graph), 1 still live", first, StringComparison.Ordinal);
        Assert.Single(Gets(app, gone));
        Assert.Single(Gets(app, live));
        Assert.Empty(app.GraphRequestsFor(young));
        Assert.Empty(app.GraphRequestsFor(ended));
        Assert.Equal(2, app.Graph.Requests.Count);
        var closed = (await app.RecordAsync(gone))!;
        Assert.Equal("Reconciler", closed.GetString("EndedBy"));
        Assert.Equal(CallFunctions.Records.TerminationCodes.NotReported, closed.GetString("Meaning"));
        Assert.False(closed.ContainsKey("Code"));
        Assert.InRange(closed.GetDateTimeOffset("TerminatedAt")!.Value, T0, T0.AddMinutes(5));
        var stillLive = (await app.RecordAsync(live))!;
        Assert.False(stillLive.ContainsKey("TerminatedAt"));
        Assert.InRange(stillLive.GetDateTimeOffset("ReconciledAt")!.Value, T0, T0.AddMinutes(5));

        // Operators see it on a line of its own: the summary, the page and the list.
        var summary = await SummaryAsync(app);
        Assert.Equal(1, NotReportedLine(summary)!["count"]!.GetValue<int>());
        Assert.Equal(2, summary["terminations"]!.GetValue<int>());
        var page = JsonNode.Parse(await app.Client.GetStringAsync("/api/dashboard?view=data&from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z"))!;
        Assert.Contains(page["buckets"]!.AsArray(), b => b!["ended"]!["not-reported"]?.GetValue<int>() == 1);
        Assert.True(page["calls"]!.AsArray().Single(c => c!["callId"]!.GetValue<string>() == gone)!["notReported"]!.GetValue<bool>());
        var list = await app.RunCommandAsync("outcomes", "list");
        Assert.Contains(list.Output.Split('\n'), l => l.StartsWith(gone, StringComparison.Ordinal) && l.Contains("Ended, not reported by Graph", StringComparison.Ordinal));

        // Asked this period: a second run asks nothing.
        var second = await ReconcileAsync(app);
        Assert.Contains("2 call(s) recorded without an end, 0 due", second, StringComparison.Ordinal);
        Assert.Equal(2, app.Graph.Requests.Count);

        // A period later (another instance whose clock is an hour on), the live call is asked again.
        await using (var later = await app.AnotherInstanceAsync(now: T0.AddMinutes(61)))
        {
            var third = await ReconcileAsync(later);
            Assert.Contains("1 still live", third, StringComparison.Ordinal);
        }
        Assert.Equal(2, Gets(app, live).Count());
        Assert.Single(Gets(app, gone));

        // Graph's own end comes after the closing: it wins, and is counted once, under its code.
        await app.PostAsync("/api/calls/outcomes", Notify.Sample("terminated-5001.json", gone));
        var late = await app.WaitForRecordAsync(gone, r => r.GetString("EndedBy") == "Graph");
        Assert.Equal(5001, late.GetInt32("Subcode"));
        Assert.Equal("The conversation has ended.", late.GetString("Meaning"));
        summary = await SummaryAsync(app);
        var byCode = summary["byCode"]!.AsArray();
        Assert.Equal(summary["terminations"]!.GetValue<int>(), byCode.Sum(c => c!["count"]!.GetValue<int>()));
        Assert.Equal(2, byCode.Single(c => c!["subcode"]?.GetValue<int>() == 5001)!["count"]!.GetValue<int>());
        // The young call, asked by the later instance and gone, is the one left not reported.
        Assert.Equal(1, NotReportedLine(summary)?["count"]!.GetValue<int>());
        Assert.Equal("Reconciler", (await app.RecordAsync(young))!.GetString("EndedBy"));
    }

    [Fact]
    public async Task TwoInstancesRunningAtOnceAskAboutEachCallOnceAndHangUpACallTheBotStayedInOnce()
    {
        await using var one = await TestApp.StartAsync(now: T0, storageFaults: true);
        await using var two = await one.AnotherInstanceAsync(now: T0);
        var gone = Enumerable.Range(0, 6).Select(_ => Notify.NewCallId()).ToList();
        var stuck = Notify.NewCallId();
        // Rang 20 minutes ago, younger than the period: its BotInCallUntil (10 minutes ago, past the 5 minutes' margin) makes it due.
        await RingAsync(one, [.. gone.Select(id => (id, T0.AddHours(-2), (DateTimeOffset?)null)), (stuck, T0.AddMinutes(-20), T0.AddMinutes(-10))]);
        one.Graph.LiveCalls[stuck] = true;
        // Both runs read the same records before either claims its ask: the asks of each run's first calls are held until
        // both have read them (4 calls at a time each), so both write on the same ETag.
        var storage = one.StorageFaults!;
        storage.Reset();
        var bothRead = new TaskCompletionSource();
        storage.Inject(r => r.Table == one.Outcomes.Name && r.IsWrite && r.Body.Contains("\"ReconcileRun\"", StringComparison.Ordinal)
            && !r.Body.Contains("\"EndedBy\"", StringComparison.Ordinal), new StorageFault(StorageFaultKind.DelayRequest, Until: bothRead.Task), times: 8);
        _ = Task.Run(async () =>
        {
            var until = DateTime.UtcNow.AddSeconds(4); // within the SDK's 5 s network timeout
            while (storage.Requests.Count(r => r.Method == "GET" && r.Table == one.Outcomes.Name && r.RowKey == "call") < 8 && DateTime.UtcNow < until)
                await Task.Delay(20);
            bothRead.TrySetResult();
        });

        var runs = await Task.WhenAll(ReconcileAsync(one), ReconcileAsync(two));

        foreach (var id in gone.Append(stuck)) Assert.Single(Gets(one, id));
        Assert.Single(one.GraphRequestsFor(stuck), r => r.Method == "DELETE");
        Assert.Equal(gone.Count + 2, one.Graph.Requests.Count);
        foreach (var id in gone) Assert.Equal("Reconciler", (await one.RecordAsync(id))!.GetString("EndedBy"));
        var hungUp = (await one.RecordAsync(stuck))!;
        Assert.Equal(204, hungUp.GetInt32("HangUpStatus"));
        Assert.NotNull(hungUp.GetDateTimeOffset("HungUpAt"));
        Assert.False(hungUp.ContainsKey("TerminatedAt"));
        Assert.Contains(runs, r => r.Contains("1 hung up", StringComparison.Ordinal));
        Assert.Equal(gone.Count, runs.Sum(r => int.Parse(System.Text.RegularExpressions.Regex.Match(r, @"(\d+) closed").Groups[1].Value, CultureInfo.InvariantCulture)));

        // A period on, Graph still answers for it (its end lost again): asked, and not hung up a second time.
        one.Graph.LiveCalls[stuck] = true;
        await using var later = await one.AnotherInstanceAsync(now: T0.AddMinutes(61));
        Assert.Contains("1 still live, 0 hung up", await ReconcileAsync(later), StringComparison.Ordinal);
        Assert.Equal(2, Gets(one, stuck).Count());
        Assert.Single(one.GraphRequestsFor(stuck), r => r.Method == "DELETE");
    }

    [Fact]
    public async Task AClosingWriteWhoseAnswerWasLostIsFiledOnceAndAStorageFaultClosesNothing()
    {
        await using var app = await TestApp.StartAsync(now: T0, storageFaults: true);
        string lost = Notify.NewCallId(), refused = Notify.NewCallId();
        await RingAsync(app, (lost, T0.AddHours(-2), null), (refused, T0.AddHours(-2), null));
        var storage = app.StorageFaults!;
        // The closing merge of one call is applied and its answer lost: the SDK's repeat meets 412 on the ETag it wrote.
        var lose = storage.Inject(r => r.Table == app.Outcomes.Name && r.PartitionKey == lost && r.IsWrite
            && r.Body.Contains("\"EndedBy\":\"Reconciler\"", StringComparison.Ordinal), StorageFault.LoseAnswer);
        // The other's record cannot be written at all: its ask is never claimed.
        storage.Inject(r => r.Table == app.Outcomes.Name && r.PartitionKey == refused && r.IsWrite, StorageFault.Error(503), times: 20);

        var run = await ReconcileAsync(app);

        Assert.Equal(1, lose.Hits);
        Assert.Contains("1 closed", run, StringComparison.Ordinal);
        Assert.Contains("1 left open because Graph or Table Storage did not answer", run, StringComparison.Ordinal);
        Assert.Single(Gets(app, lost));
        Assert.Empty(app.GraphRequestsFor(refused));
        Assert.Equal("Reconciler", (await app.RecordAsync(lost))!.GetString("EndedBy"));
        Assert.False((await app.RecordAsync(refused))!.ContainsKey("TerminatedAt"));
        // The index knows: the ring's entry is no longer open, and the hour it was found holds the ending.
        var day = app.IndexTable("20260310");
        var ringEntry = (await day.GetEntityAsync<TableEntity>("2026031010", lost)).Value;
        Assert.False(ringEntry.GetBoolean("Open"));
        Assert.Equal("Reconciler", ringEntry.GetString("EndedBy"));
        Assert.True((await day.GetEntityAsync<TableEntity>("2026031010", refused)).Value.GetBoolean("Open"));
        var summary = await SummaryAsync(app);
        Assert.Equal(1, NotReportedLine(summary)!["count"]!.GetValue<int>());
        Assert.Equal(1, summary["terminations"]!.GetValue<int>());
    }

    [Fact]
    public async Task GraphsThrottlingIsRetriedWithinTheRunAndNeverClosesARecord()
    {
        await using var app = await TestApp.StartAsync(now: T0);
        var callId = Notify.NewCallId();
        await RingAsync(app, (callId, T0.AddHours(-2), null));
        app.Graph.Enqueue(new GraphFault(429, RetryAfter: "0"), new GraphFault(503), new GraphFault(503), new GraphFault(503));

        var run = await ReconcileAsync(app);

        Assert.Contains("1 left open because Graph or Table Storage did not answer", run, StringComparison.Ordinal);
        Assert.Equal([429, 503, 503, 503], Gets(app, callId).Select(r => r.Status));
        var open = (await app.RecordAsync(callId))!;
        Assert.False(open.ContainsKey("TerminatedAt"));

        // A period later Graph throttles once, then answers: the retry closes it.
        app.Graph.Enqueue(new GraphFault(429, RetryAfter: "1"));
        await using var later = await app.AnotherInstanceAsync(now: T0.AddMinutes(61));
        Assert.Contains("1 closed", await ReconcileAsync(later), StringComparison.Ordinal);
        Assert.Equal([429, 503, 503, 503, 429, 404], Gets(app, callId).Select(r => r.Status));
        Assert.Equal("Reconciler", (await app.RecordAsync(callId))!.GetString("EndedBy"));
    }

    [Fact]
    public async Task InDryRunItSaysWhatItWouldDoAndChangesNothing()
    {
        var clock = new SettableClock(T0);
        await using var app = await TestApp.StartAsync();
        string gone = Notify.NewCallId(), stuck = Notify.NewCallId();
        await RingAsync(app, (gone, T0.AddHours(-2), null), (stuck, T0.AddMinutes(-20), T0.AddMinutes(-10)));
        await using var services = app.InProcess(clock, new Dictionary<string, string?> { ["Graph:DryRun"] = "true" },
            s => s.AddGraph().AddReconciler());

        var report = await services.GetRequiredService<Reconciler>().RunOnceAsync(CancellationToken.None);

        Assert.Equal((2, 2, true, 0), (report.Open, report.Due, report.DryRun, report.Closed));
        Assert.Empty(app.Graph.Requests);
        foreach (var id in new[] { gone, stuck })
        {
            var record = (await app.RecordAsync(id))!;
            Assert.False(record.ContainsKey("ReconciledAt"));
            Assert.False(record.ContainsKey("TerminatedAt"));
        }
        Assert.DoesNotContain(await app.AllRecordsAsync(), r => r.RowKey.StartsWith("claim-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RetentionDeletesARecordTheReconcilerClosedWithEveryIndexEntry()
    {
        var clock = new SettableClock(At("2026-01-10T10:30:00Z"));
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Outcomes:RetentionDays"] = "30" });
        string old = Notify.NewCallId(), recent = Notify.NewCallId();
        await RingAsync(app, (old, At("2026-01-09T23:10:00Z"), null));
        await using (var then = app.InProcess(clock, more: s => s.AddGraph().AddReconciler()))
            Assert.Equal(1, (await then.GetRequiredService<Reconciler>().RunOnceAsync(CancellationToken.None)).Closed);
        // Found on the next day: the ring's day and the day it was found each hold an entry.
        Assert.False((await app.IndexTable("20260109").GetEntityAsync<TableEntity>("2026010923", old)).Value.GetBoolean("Open"));
        Assert.Equal("Reconciler", (await app.IndexTable("20260110").GetEntityAsync<TableEntity>("2026011010", old)).Value.GetString("EndedBy"));
        await RingAsync(app, (recent, At("2026-03-04T20:00:00Z"), null));

        clock.Set(At("2026-03-05T00:00:00Z"));
        await using var services = app.InProcess(clock);
        await services.GetRequiredService<RecordRetention>().RunOnceAsync(CancellationToken.None);

        Assert.Null(await app.RecordAsync(old));
        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => app.IndexTable("20260109").GetEntityAsync<TableEntity>("2026010923", old));
        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => app.IndexTable("20260110").GetEntityAsync<TableEntity>("2026011010", old));
        Assert.NotNull(await app.RecordAsync(recent));
    }
}
