using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Screening;

public sealed class DuplicateTests
{
    private static readonly Azure.Data.Tables.TableEntity BlockRule = Rows.Rule("block", 1, "Reject", caller: "+1425*", reason: "Busy");

    [Fact]
    public async Task TheSameIncomingNotificationDeliveredTwiceCausesOneReject()
    {
        await using var app = await TestApp.StartAsync([BlockRule]);
        var callId = Notify.NewCallId();
        var body = Notify.Incoming(callId, Notify.Phone("+14255550123"));

        var first = await app.NotifyAsync(body);
        var second = await app.NotifyAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Single(app.GraphRequestsFor(callId));
        Assert.Equal("duplicate", JsonNode.Parse(await second.Content.ReadAsStringAsync())!["items"]![0]!["outcome"]!.GetValue<string>());
        var record = await app.RecordAsync(callId);
        Assert.Equal(202, record!.GetInt32("GraphStatus"));
        Assert.Equal(1, record.GetInt32("GraphAttempts"));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
    }

    [Fact]
    public async Task DeliveriesToTwoInstancesAtOnceCauseExactlyOneRejectPerCall()
    {
        await using var one = await TestApp.StartAsync([BlockRule]);
        await using var two = await one.AnotherInstanceAsync();
        one.Graph.Latency = TimeSpan.FromMilliseconds(50);
        var calls = Enumerable.Range(0, 10).Select(_ => Notify.NewCallId()).ToList();

        var deliveries = calls.SelectMany(id =>
        {
            var body = Notify.Incoming(id, Notify.Phone("+14255550123"));
            return new[] { one.NotifyAsync(body), two.NotifyAsync(body), one.NotifyAsync(body), two.NotifyAsync(body) };
        });
        var responses = await Task.WhenAll(deliveries);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        foreach (var id in calls) Assert.Single(one.GraphRequestsFor(id));
        Assert.Equal(calls.Count, one.Graph.Requests.Count);
        Assert.Equal(calls.Count, (await one.AllRecordsAsync()).Count(r => r.RowKey == "call"));
    }

    [Fact]
    public async Task ATerminationDeliveredManyTimesToTwoInstancesLeavesOneRecord()
    {
        await using var one = await TestApp.StartAsync();
        await using var two = await one.AnotherInstanceAsync();
        var callId = Notify.NewCallId();
        var body = Notify.Sample("terminated-5002-real.json", callId);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? one : two).NotifyAsync(body)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var record = Assert.Single(await one.AllRecordsAsync());
        Assert.Equal(callId, record.PartitionKey);
        Assert.Equal(5002, record.GetInt32("Subcode"));
    }

    [Fact]
    public async Task ATerminationBeforeItsIncomingNotificationLeavesACompleteRecord()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("vip", 1, "Allow", caller: "+1425*")]);
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Sample("terminated-5001.json", callId));
        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        var record = Assert.Single(await app.AllRecordsAsync());
        Assert.Equal(5001, record.GetInt32("Subcode"));
        Assert.Equal("The conversation has ended.", record.GetString("Meaning"));
        Assert.NotNull(record.GetDateTimeOffset("TerminatedAt"));
        Assert.Equal("vip", record.GetString("Rule"));
        Assert.Equal("Allow", record.GetString("Action"));
        Assert.Equal("phone:+14255550123", record.GetString("Caller"));
    }

    [Fact]
    public async Task UpdatesOutOfOrderStillHangUpOnceAndNeverAfterTheTermination()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("drop", 1, "HangUp", caller: "+1900*")]);
        var callId = Notify.NewCallId();
        var other = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+19005550100")));
        await app.NotifyAsync(Notify.Batch(Notify.UpdatedItem(callId, "established"), Notify.UpdatedItem(callId, "establishing")));
        await app.NotifyAsync(Notify.Incoming(other, Notify.Phone("+19005550100")));
        await app.NotifyAsync(Notify.Sample("terminated-5001.json", other));
        await app.NotifyAsync(Notify.Sample("established.json", other));

        Assert.Single(app.GraphRequestsFor(callId));
        Assert.Empty(app.GraphRequestsFor(other));
        Assert.Equal("HangUp", (await app.RecordAsync(callId))!.GetString("Action"));
    }

    [Fact]
    public async Task AFailedRejectGivesItsClaimBackSoARedeliveryTriesAgain()
    {
        await using var app = await TestApp.StartAsync([BlockRule]);
        app.Graph.Enqueue(new GraphFault(500), new GraphFault(500), new GraphFault(500), new GraphFault(500));
        var callId = Notify.NewCallId();
        var body = Notify.Incoming(callId, Notify.Phone("+14255550123"));

        await app.NotifyAsync(body);
        Assert.Equal(500, (await app.RecordAsync(callId))!.GetInt32("GraphStatus"));
        await app.NotifyAsync(body);

        Assert.Equal(5, app.GraphRequestsFor(callId).Count);
        Assert.Equal(202, (await app.RecordAsync(callId))!.GetInt32("GraphStatus"));
    }
}
