using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Screening;

public sealed class GraphFaultTests
{
    // A Wednesday: no rule here has a time condition, but the app's clock is pinned wherever a test reads it.
    private static readonly DateTimeOffset Noon = DateTimeOffset.Parse("2027-01-13T12:00:00Z", CultureInfo.InvariantCulture);

    private static readonly Azure.Data.Tables.TableEntity BlockRule = Rows.Rule("block", 1, "Reject", caller: "+1425*", reason: "Busy");

    [Fact]
    public async Task RetriesA429AfterItsRetryAfterSecondsAndRecordsBothAttempts()
    {
        await using var app = await TestApp.StartAsync([BlockRule]);
        app.Graph.Enqueue(new GraphFault(429, RetryAfter: "1"));
        var callId = Notify.NewCallId();

        var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var requests = app.GraphRequestsFor(callId);
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].Body, requests[1].Body);
        // A lower bound only: a busy machine makes the retry later, never sooner.
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(0.9), $"retried after {(requests[1].At - requests[0].At).TotalSeconds:0.00} s");
        var record = await app.RecordAsync(callId);
        Assert.Equal(202, record!.GetInt32("GraphStatus"));
        Assert.Equal(2, record.GetInt32("GraphAttempts"));
    }

    [Fact]
    public async Task HonoursARetryAfterGivenAsAnHttpDate()
    {
        // The app's clock starts at noon, so a date 60 s later is a wait of under a minute, longer than the time the
        // first attempt takes: the retry cannot come before the date by the app's clock, whatever the machine's load.
        await using var app = await TestApp.StartAsync([BlockRule], new Dictionary<string, string?> { ["Calls:DeadlineSeconds"] = "120" }, now: Noon);
        app.Graph.Enqueue(new GraphFault(503, RetryAfter: "Wed, 13 Jan 2027 12:01:00 GMT"));
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));
        var record = await app.WaitForRecordAsync(callId, r => r.GetInt32("GraphAttempts") == 2, TimeSpan.FromSeconds(90));

        var requests = app.GraphRequestsFor(callId);
        Assert.Equal(2, requests.Count);
        // The app's clock stood at most a few seconds past noon at the first attempt; the retry waited for 12:01.
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(20), $"retried after {(requests[1].At - requests[0].At).TotalSeconds:0.0} s");
        Assert.Equal(2, (await app.RecordAsync(callId))!.GetInt32("GraphAttempts"));
    }

    [Fact]
    public async Task BacksOffOn503And504WithoutRetryAfter()
    {
        await using var app = await TestApp.StartAsync([BlockRule]);
        app.Graph.Enqueue(new GraphFault(503), new GraphFault(504));
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.Equal(3, app.GraphRequestsFor(callId).Count);
        var record = await app.RecordAsync(callId);
        Assert.Equal(202, record!.GetInt32("GraphStatus"));
        Assert.Equal(3, record.GetInt32("GraphAttempts"));
    }

    [Fact]
    public async Task A404EndsTheAttemptAndIsRecordedAsTheCallBeingGone()
    {
        await using var app = await TestApp.StartAsync([BlockRule]);
        app.Graph.Enqueue(new GraphFault(404));
        var callId = Notify.NewCallId();

        var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(app.GraphRequestsFor(callId));
        var record = await app.RecordAsync(callId);
        Assert.Equal(404, record!.GetInt32("GraphStatus"));
        Assert.Equal(1, record.GetInt32("GraphAttempts"));
        Assert.NotEmpty(await app.Logs.MatchingAsync(l => l.EventId == 2002 && l.Message.Contains(callId, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ARetryThatCannotFinishBeforeTheCallsDeadlineIsNotStarted()
    {
        await using var app = await TestApp.StartAsync([BlockRule]);
        app.Graph.Enqueue(new GraphFault(429, RetryAfter: "30"));
        var callId = Notify.NewCallId();

        var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(app.GraphRequestsFor(callId));
        Assert.Equal(429, (await app.RecordAsync(callId))!.GetInt32("GraphStatus"));
        Assert.NotEmpty(await app.Logs.MatchingAsync(l => l.EventId == 2006));
    }

    [Fact]
    public async Task RetriesStopBeforeAShortenedDeadline()
    {
        await using var app = await TestApp.StartAsync([BlockRule], new Dictionary<string, string?>
        {
            ["Calls:DeadlineSeconds"] = "10",
            ["Calls:DeadlineMarginSeconds"] = "0.5",
        });
        // Wide margins, so the machine's speed cannot decide: the first attempt comes within 4.5 s of the ring (the
        // second, 5 s later, still ends before 9.5 s), and a third would start 10 s after the first, past the deadline.
        app.Graph.Answer = _ => new GraphFault(503, RetryAfter: "5");
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));
        var record = await app.WaitForRecordAsync(callId, r => r.GetInt32("GraphStatus") is not null, TimeSpan.FromSeconds(60));

        Assert.Equal(2, app.GraphRequestsFor(callId).Count);
        Assert.Equal(503, record.GetInt32("GraphStatus"));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task ARefusalNamesTheLikelyMissingPermission(int status)
    {
        await using var app = await TestApp.StartAsync([BlockRule]);
        app.Graph.Enqueue(new GraphFault(status));
        var callId = Notify.NewCallId();

        var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(app.GraphRequestsFor(callId));
        Assert.Equal(status, (await app.RecordAsync(callId))!.GetInt32("GraphStatus"));
        var line = Assert.Single(await app.Logs.MatchingAsync(l => l.EventId == 2003));
        Assert.Contains("Calls.Initiate.All", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWebhookAnswersWithinItsBudgetWhileGraphIsSlowAndTheWorkStillCompletes()
    {
        await using var app = await TestApp.StartAsync([BlockRule], new Dictionary<string, string?> { ["Calls:ResponseSeconds"] = "0.5" });
        // Graph answers only once the webhook has: a webhook that waited for Graph would answer only when the call's
        // deadline cut the request, and not "pending".
        var answered = new TaskCompletionSource();
        app.Graph.Enqueue(new GraphFault(202, Until: answered.Task));
        var callId = Notify.NewCallId();

        var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));
        answered.SetResult();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var item = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]![0]!;
        Assert.Equal("pending", item["outcome"]!.GetValue<string>());
        var record = await app.WaitForRecordAsync(callId, r => r.GetInt32("GraphStatus") is not null);
        Assert.Equal(202, record.GetInt32("GraphStatus"));
        Assert.Equal("block", record.GetString("Rule"));
    }

    [Fact]
    public async Task AGraphThatDoesNotAnswerAtAllIsRecordedAsNoAnswer()
    {
        await using var app = await TestApp.StartAsync([BlockRule], new Dictionary<string, string?>
        {
            ["Calls:DeadlineSeconds"] = "2",
            ["Calls:DeadlineMarginSeconds"] = "0.5",
            ["Calls:ResponseSeconds"] = "0.5",
        });
        app.Graph.Answer = _ => new GraphFault(202, Delay: TimeSpan.FromSeconds(30));
        var callId = Notify.NewCallId();

        var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var record = await app.WaitForRecordAsync(callId, r => r.GetInt32("GraphStatus") is not null);
        Assert.Equal(0, record.GetInt32("GraphStatus"));
    }
}
