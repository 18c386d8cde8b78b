using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Screening;

public sealed class HangUpTests
{
    [Fact]
    public async Task HangsUpAnEstablishedCallMatchedOnTheCallerRememberedFromItsIncomingNotification()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("drop-premium", 5, "HangUp", caller: "+1900*")]);
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+19005550100")));
        Assert.Empty(app.Graph.Requests);
        var response = await app.NotifyAsync(Notify.Sample("established.json", callId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var request = Assert.Single(app.Graph.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal($"/v1.0/communications/calls/{callId}", request.Path);
        Assert.Equal("", request.Body);
        var record = await app.RecordAsync(callId);
        Assert.Equal("HangUp", record!.GetString("Action"));
        Assert.Equal("drop-premium", record.GetString("Rule"));
        Assert.Equal(204, record.GetInt32("GraphStatus"));
        Assert.Equal("phone:+19005550100", record.GetString("Caller"));
    }

    [Fact]
    public async Task AnotherInstanceKnowsTheCallerFromTheCallsRecordInTheTable()
    {
        await using var one = await TestApp.StartAsync([Rows.Rule("drop-premium", 5, "HangUp", caller: "+1900*")]);
        await using var two = await one.AnotherInstanceAsync();
        var callId = Notify.NewCallId();

        await one.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+19005550100")));
        await two.NotifyAsync(Notify.Sample("established.json", callId));

        var request = Assert.Single(one.Graph.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal($"/v1.0/communications/calls/{callId}", request.Path);
        Assert.Equal("HangUp", (await one.RecordAsync(callId))!.GetString("Action"));
    }

    [Fact]
    public async Task DoesNotHangUpACallerNoRuleMatchesNorHangUpTwice()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("drop-premium", 5, "HangUp", caller: "+1900*")]);
        var other = Notify.NewCallId();
        var premium = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(other, Notify.Phone("+14255550100")));
        await app.NotifyAsync(Notify.Incoming(premium, Notify.Phone("+19005550100")));
        await app.NotifyAsync(Notify.Sample("established.json", other));
        await app.NotifyAsync(Notify.Sample("established.json", premium));
        await app.NotifyAsync(Notify.Batch(Notify.UpdatedItem(premium, "established")));

        Assert.Empty(app.GraphRequestsFor(other));
        Assert.Single(app.GraphRequestsFor(premium));
    }

    [Fact]
    public async Task AnAllowRuleOfHigherPriorityExemptsACallFromHangUp()
    {
        await using var app = await TestApp.StartAsync(
        [
            Rows.Rule("support-line", 1, "Allow", callee: "+18005550000"),
            Rows.Rule("no-long-pstn", 2, "HangUp", caller: "+*"),
        ]);
        var toSupport = Notify.NewCallId();
        var toOther = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(toSupport, Notify.Phone("+14255550100"), Notify.Phone("+1 800 555 0000")));
        await app.NotifyAsync(Notify.Incoming(toOther, Notify.Phone("+14255550100")));
        await app.NotifyAsync(Notify.Batch(Notify.UpdatedItem(toSupport, "established"), Notify.UpdatedItem(toOther, "established")));

        Assert.Empty(app.GraphRequestsFor(toSupport));
        Assert.Single(app.GraphRequestsFor(toOther));
    }

    [Fact]
    public async Task AHangUpRuleNeverRejectsARingingCall()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("hang-up-us", 1, "HangUp", caller: "+1*")]);
        var us = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(us, Notify.Phone("+14255550100")));
        Assert.Empty(app.GraphRequestsFor(us));
        await app.NotifyAsync(Notify.Sample("established.json", us));

        Assert.Equal("DELETE", Assert.Single(app.GraphRequestsFor(us)).Method);
    }

    [Fact]
    public async Task ARejectRuleThatCoversTheCallerNeverHangsUpAnEstablishedCall()
    {
        // The Reject rule covers the caller and comes first; only the HangUp rule after it may act on a call in progress.
        await using var app = await TestApp.StartAsync(
        [
            Rows.Rule("reject-uk", 1, "Reject", caller: "+44*"),
            Rows.Rule("hang-up-all", 2, "HangUp"),
        ]);
        var uk = Notify.NewCallId();
        // A call the bot is in without having screened it ring (answered elsewhere): its first notification is an
        // update that names the caller.
        var update = Notify.UpdatedItem(uk, "established");
        update["resourceData"]!["source"] = new JsonObject { ["identity"] = Notify.Phone("+442071838750") };

        await app.NotifyAsync(Notify.Batch(update));

        var request = Assert.Single(app.GraphRequestsFor(uk));
        Assert.Equal("DELETE", request.Method);
        var record = await app.RecordAsync(uk);
        Assert.Equal("hang-up-all", record!.GetString("Rule"));
        Assert.Equal("HangUp", record.GetString("Action"));
    }

    [Fact]
    public async Task TheTerminatingUpdateOfACallIsNotActedOn()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("drop-all", 5, "HangUp")]);
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Sample("terminating.json", callId));

        Assert.Empty(app.Graph.Requests);
    }
}
