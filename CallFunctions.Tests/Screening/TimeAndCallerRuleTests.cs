using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Screening;

/// <summary>The new rule conditions end to end: a notification over HTTP, the Graph request, the call's record.</summary>
public sealed class TimeAndCallerRuleTests
{
    private static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The app's clock starts at <paramref name="now"/>; the OpenID stand-in's tokens would be from the future or the
    /// past for it, so these tests about time rules send none.
    /// </summary>
    private static Task<TestApp> StartAtAsync(DateTimeOffset now, params Azure.Data.Tables.TableEntity[] rules) =>
        TestApp.StartAsync(rules, new Dictionary<string, string?> { ["Auth:Enabled"] = "false" }, now);

    [Theory]
    [InlineData("2026-03-29T07:30:00Z", "office-hours")] // 09:30 in Paris (CEST), 08:30 had the clocks not changed
    [InlineData("2026-03-29T06:30:00Z", "closed")] // 08:30 CEST
    public async Task OfficeHoursInParisFollowTheSpringForwardChangeWhenNotificationsArrive(string now, string rule)
    {
        await using var app = await StartAtAsync(At(now),
            Rows.Rule("office-hours", 10, "Allow", hours: "09:00-17:00", timeZone: "Europe/Paris"),
            Rows.Rule("closed", 20, "Reject", reason: "Busy"));
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.Equal(rule, (await app.RecordAsync(callId))!.GetString("Rule"));
        if (rule == "closed") Assert.Contains("\"reason\":\"busy\"", Assert.Single(app.GraphRequestsFor(callId)).Body, StringComparison.Ordinal);
        else Assert.Empty(app.GraphRequestsFor(callId));
    }

    [Theory]
    [InlineData("2026-12-24T23:30:00Z", true)] // the 25th in Paris
    [InlineData("2026-12-26T23:30:00Z", false)] // the 27th in Paris
    public async Task AHolidayRangeRejectsCallsOnlyOnItsDays(string now, bool rejected)
    {
        await using var app = await StartAtAsync(At(now),
            Rows.Rule("christmas", 5, "Reject", reason: "Forbidden", dates: "2026-12-24..2026-12-26", timeZone: "Romance Standard Time"));
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.Equal(rejected ? 1 : 0, app.GraphRequestsFor(callId).Count);
    }

    [Fact]
    public async Task AFridayNightRuleHangsUpACallEstablishedAfterMidnight()
    {
        // Saturday 00:10: within Friday's 22:00-02:00, which runs past midnight.
        await using var app = await StartAtAsync(At("2026-03-28T00:10:00Z"),
            Rows.Rule("friday-night", 1, "HangUp", days: "Fri", hours: "22:00-02:00"));
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));
        await app.NotifyAsync(Notify.Batch(Notify.UpdatedItem(callId, "established")));

        var request = Assert.Single(app.GraphRequestsFor(callId));
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("friday-night", (await app.RecordAsync(callId))!.GetString("Rule"));
    }

    [Fact]
    public async Task AnonymousAndEncryptedCallersAreRejectedAndNamedCallersAreNot()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("no-anonymous", 1, "Reject", caller: "anonymous", reason: "Forbidden")]);
        var hidden = Notify.NewCallId();
        var encrypted = Notify.NewCallId();
        var withheld = Notify.NewCallId();
        var named = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(hidden, Notify.NoIdentity()));
        await app.NotifyAsync(Notify.Incoming(encrypted, Notify.Encrypted()));
        await app.NotifyAsync(Notify.Incoming(withheld, Notify.Phone("anonymous")));
        await app.NotifyAsync(Notify.Incoming(named, Notify.Phone("+14255550123")));

        Assert.Single(app.GraphRequestsFor(hidden));
        Assert.Single(app.GraphRequestsFor(encrypted));
        Assert.Single(app.GraphRequestsFor(withheld));
        Assert.Empty(app.GraphRequestsFor(named));
        Assert.Equal("encrypted:Vk1YbmE1Q3U5ZUlGa1BuZz09", (await app.RecordAsync(encrypted))!.GetString("Caller"));
    }

    [Fact]
    public async Task ACalleeRuleMatchesTheDialledNumberOfAForwardedCall()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("old-support-line", 1, "Reject", callee: "+1 800 555 0000", reason: "Busy")]);
        var forwarded = Notify.NewCallId();
        var direct = Notify.NewCallId();

        await app.NotifyAsync(Notify.Batch(Forwarded(forwarded, "+18005550000")));
        await app.NotifyAsync(Notify.Incoming(direct, Notify.Phone("+14255550123"), Notify.User(Agent)));

        Assert.Single(app.GraphRequestsFor(forwarded));
        Assert.Empty(app.GraphRequestsFor(direct));
        var record = await app.RecordAsync(forwarded);
        Assert.Equal($"forwarded phone:+18005550000 -> user:{Agent}", record!.GetString("Routes"));
        Assert.Equal($"user:{Agent}", record.GetString("Callee"));
    }

    [Fact]
    public async Task ALaterNotificationKnowsTheForwardFromTheCallsRecord()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("drop-old-line", 1, "HangUp", callee: "+1800*")]);
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Batch(Forwarded(callId, "+18005550000")));
        Assert.Empty(app.GraphRequestsFor(callId));
        await app.NotifyAsync(Notify.Batch(Notify.UpdatedItem(callId, "established")));

        Assert.Equal("DELETE", Assert.Single(app.GraphRequestsFor(callId)).Method);
    }

    private const string Agent = "b1f2c3d4-0000-4000-8000-000000000001";

    private static JsonObject Forwarded(string callId, string dialled)
    {
        var item = Notify.IncomingItem(callId, Notify.Phone("+14255550123"), Notify.User(Agent));
        item["resourceData"]!["callRoutes"] = new JsonArray(Notify.Route("forwarded", Notify.Phone(dialled), Notify.User(Agent)));
        return item;
    }
}
