using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Calls;

public sealed class GraphFaultTests
{
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
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(950), "the retry waited for Retry-After");
        var record = await app.RecordAsync(callId);
        Assert.Equal(202, record!.GetInt32("GraphStatus"));
        Assert.Equal(2, record.GetInt32("GraphAttempts"));
    }

    [Fact]
    public async Task HonoursARetryAfterGivenAsAnHttpDate()
    {
        await using var app = await TestApp.StartAsync([BlockRule]);
        var retryAt = DateTimeOffset.UtcNow.AddSeconds(2);
        app.Graph.Enqueue(new GraphFault(503, RetryAfter: retryAt.ToString("R", CultureInfo.InvariantCulture)));
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        var requests = app.GraphRequestsFor(callId);
        Assert.Equal(2, requests.Count);
        // The date has one-second precision: the retry comes no earlier than its second.
        Assert.True(requests[1].At >= retryAt.AddSeconds(-1), $"retried at {requests[1].At:O}, Retry-After {retryAt:O}");
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
        Assert.Contains(app.Logs.Lines, l => l.EventId == 2002 && l.Message.Contains(callId, StringComparison.Ordinal));
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
        Assert.Contains(app.Logs.Lines, l => l.EventId == 2006);
    }

    [Fact]
    public async Task RetriesStopBeforeAShortenedDeadline()
    {
        await using var app = await TestApp.StartAsync([BlockRule], new Dictionary<string, string?>
        {
            ["Calls:DeadlineSeconds"] = "2",
            ["Calls:DeadlineMarginSeconds"] = "0.5",
        });
        app.Graph.Answer = _ => new GraphFault(503, RetryAfter: "1");
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        var requests = app.GraphRequestsFor(callId);
        Assert.Equal(2, requests.Count);
        Assert.Equal(503, (await app.RecordAsync(callId))!.GetInt32("GraphStatus"));
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
        var line = Assert.Single(app.Logs.Lines, l => l.EventId == 2003);
        Assert.Contains("Calls.Initiate.All", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWebhookAnswersWithinItsBudgetWhileGraphIsSlowAndTheWorkStillCompletes()
    {
        await using var app = await TestApp.StartAsync([BlockRule], new Dictionary<string, string?> { ["Calls:ResponseSeconds"] = "0.5" });
        app.Graph.Enqueue(new GraphFault(202, Delay: TimeSpan.FromSeconds(3)));
        var callId = Notify.NewCallId();

        var watch = Stopwatch.StartNew();
        var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));
        watch.Stop();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2.5), $"answered after {watch.Elapsed}");
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
