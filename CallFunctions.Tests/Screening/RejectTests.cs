using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Screening;

public sealed class RejectTests
{
    [Theory]
    [InlineData("None", "none")]
    [InlineData("Busy", "busy")]
    [InlineData("Forbidden", "forbidden")]
    public async Task RejectsWithTheRulesReasonAndTheCallbackUri(string reason, string sent)
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("block-pstn", 10, "Reject", caller: "+1800*", reason: reason)]);
        var callId = Notify.NewCallId();

        var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+18005550100")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var request = Assert.Single(app.Graph.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/v1.0/communications/calls/{callId}/reject", request.Path);
        Assert.Equal($$"""{"callbackUri":"{{TestApp.CallbackUri}}","reason":"{{sent}}"}""", request.Body);
        Assert.False(request.Headers.ContainsKey("Authorization"), "no token is sent to a plain-http stand-in");

        var record = await app.RecordAsync(callId);
        Assert.NotNull(record);
        Assert.Equal("block-pstn", record.GetString("Rule"));
        Assert.Equal("Reject", record.GetString("Action"));
        Assert.Equal(reason, record.GetString("Reason"));
        Assert.Equal(202, record.GetInt32("GraphStatus"));
        Assert.Equal(1, record.GetInt32("GraphAttempts"));
        Assert.Equal("phone:+18005550100", record.GetString("Caller"));
        Assert.Equal(Notify.Tenant, record.GetString("TenantId"));
        Assert.Equal("PeerToPeer", record.GetString("CallType"));
    }

    [Fact]
    public async Task RejectsTheSamplePstnCallWithoutCallbackUriWhenNoneIsConfigured()
    {
        await using var app = await TestApp.StartAsync(
            [Rows.Rule("us-numbers", 1, "Reject", caller: @"re:^\+1425")],
            new Dictionary<string, string?> { ["Calls:CallbackUri"] = null });

        var response = await app.NotifyAsync(Notify.Sample("incoming-pstn.json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var request = Assert.Single(app.Graph.Requests);
        Assert.Equal("/v1.0/communications/calls/491f0b00-ffff-4bc9-a43e-b226498ec22a/reject", request.Path);
        Assert.Equal("""{"reason":"none"}""", request.Body);
    }

    [Fact]
    public async Task AHigherPriorityAllowRuleExemptsACallerFromALaterReject()
    {
        await using var app = await TestApp.StartAsync(
        [
            Rows.Rule("block-all-pstn", 20, "Reject", caller: "+*"),
            Rows.Rule("ceo-mobile", 10, "Allow", caller: "+1 (425) 555-0123"),
        ]);
        var allowed = Notify.NewCallId();
        var blocked = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(allowed, Notify.Phone("+14255550123")));
        await app.NotifyAsync(Notify.Incoming(blocked, Notify.Phone("+14255550199")));

        Assert.Empty(app.GraphRequestsFor(allowed));
        Assert.Single(app.GraphRequestsFor(blocked));
        var record = await app.RecordAsync(allowed);
        Assert.Equal("ceo-mobile", record!.GetString("Rule"));
        Assert.Equal("Allow", record.GetString("Action"));
        Assert.Null(record.GetInt32("GraphStatus"));
    }

    [Theory]
    [InlineData("+1800*", "+18005550100", true)]
    [InlineData("+1800*", "+14255550100", false)]
    [InlineData("+1 425-555-0123", "+14255550123", true)]
    [InlineData("tel:+1.425.555.0123", "+14255550123", true)]
    [InlineData("+14255550123", "+14255550124", false)]
    [InlineData(@"re:^\+44\d{10}$", "+442071838750", true)]
    [InlineData(@"re:^\+44\d{10}$", "+4420718387", false)]
    [InlineData("+33*, +44*, +49*", "+4930901820", true)]
    public async Task MatchesPhoneCallersByExactPrefixRegexAndListRules(string pattern, string caller, bool rejected)
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("caller-rule", 5, "Reject", caller: pattern)]);
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone(caller)));

        Assert.Equal(rejected ? 1 : 0, app.GraphRequestsFor(callId).Count);
    }

    [Fact]
    public async Task MatchesTeamsUserAndGuestCallersByIdentityId()
    {
        const string user = "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50";
        const string guest = "a4c1c0de-1111-4a4a-9b9b-0c0c0c0c0c0c";
        await using var app = await TestApp.StartAsync(
            [Rows.Rule("known-people", 5, "Reject", caller: $"{user.ToUpperInvariant()},{guest}", reason: "Forbidden")]);
        var fromUser = Notify.NewCallId();
        var fromGuest = Notify.NewCallId();
        var fromOther = Notify.NewCallId();

        await app.NotifyAsync(Notify.Sample("incoming-p2p-teams-user.json", fromUser));
        await app.NotifyAsync(Notify.Incoming(fromGuest, Notify.Guest(guest)));
        await app.NotifyAsync(Notify.Incoming(fromOther, Notify.User(Guid.NewGuid().ToString())));

        Assert.Equal("""{"callbackUri":"https://bot.contoso.com/api/calls/outcomes","reason":"forbidden"}""",
            Assert.Single(app.GraphRequestsFor(fromUser)).Body);
        Assert.Single(app.GraphRequestsFor(fromGuest));
        Assert.Empty(app.GraphRequestsFor(fromOther));
    }

    [Fact]
    public async Task MatchesCalleeRulesOnTheTargetThatWasCalled()
    {
        const string reception = "92167092-7c3e-4b8a-8c1d-5e6f7a8b9c0d";
        await using var app = await TestApp.StartAsync([Rows.Rule("reception-closed", 5, "Reject", callee: reception, reason: "Busy")]);
        var toReception = Notify.NewCallId();
        var toOther = Notify.NewCallId();

        await app.NotifyAsync(Notify.Sample("incoming-p2p-teams-user.json", toReception));
        await app.NotifyAsync(Notify.Incoming(toOther, Notify.Phone("+14255550123"), Notify.AppInstance(Guid.NewGuid().ToString())));

        Assert.Single(app.GraphRequestsFor(toReception));
        Assert.Empty(app.GraphRequestsFor(toOther));
        Assert.Equal($"applicationInstance:{reception}", (await app.RecordAsync(toReception))!.GetString("Callee"));
    }

    [Fact]
    public async Task TellsGroupCallInvitationsFromPeerToPeerCalls()
    {
        await using var app = await TestApp.StartAsync(
        [
            Rows.Rule("no-meetings", 5, "Reject", callType: "Group", reason: "Busy"),
            Rows.Rule("no-direct-pstn", 6, "Reject", caller: "+*", callType: "PeerToPeer"),
        ]);
        var group = Notify.NewCallId();
        var direct = Notify.NewCallId();
        var directUser = Notify.NewCallId();

        await app.NotifyAsync(Notify.Sample("incoming-group-invite.json", group));
        await app.NotifyAsync(Notify.Incoming(direct, Notify.Phone("+14255550123")));
        await app.NotifyAsync(Notify.Incoming(directUser, Notify.User(Guid.NewGuid().ToString())));

        Assert.Equal("""{"callbackUri":"https://bot.contoso.com/api/calls/outcomes","reason":"busy"}""", Assert.Single(app.GraphRequestsFor(group)).Body);
        Assert.Equal("Group", (await app.RecordAsync(group))!.GetString("CallType"));
        Assert.Equal("no-direct-pstn", (await app.RecordAsync(direct))!.GetString("Rule"));
        Assert.Empty(app.GraphRequestsFor(directUser));
    }

    [Fact]
    public async Task AppliesATenantsOwnRulesOnlyToThatTenantsCalls()
    {
        const string contoso = "1cd119ab-b444-4c16-84b9-8538585d1987";
        const string fabrikam = "aa67bd4c-8475-432d-bd41-39f255720e0a";
        await using var app = await TestApp.StartAsync(
        [
            Rows.Rule("contoso-no-pstn", 5, "Reject", caller: "+*", scope: contoso),
            Rows.Rule("everyone-no-premium", 5, "Reject", caller: "+1900*"),
        ]);
        var contosoCall = Notify.NewCallId();
        var fabrikamCall = Notify.NewCallId();
        var fabrikamPremium = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(contosoCall, Notify.Phone("+14255550123"), tenant: contoso));
        await app.NotifyAsync(Notify.Incoming(fabrikamCall, Notify.Phone("+14255550123"), tenant: fabrikam));
        await app.NotifyAsync(Notify.Incoming(fabrikamPremium, Notify.Phone("+19005550123"), tenant: fabrikam));

        Assert.Equal("contoso-no-pstn", (await app.RecordAsync(contosoCall))!.GetString("Rule"));
        Assert.Empty(app.GraphRequestsFor(fabrikamCall));
        Assert.Equal("everyone-no-premium", (await app.RecordAsync(fabrikamPremium))!.GetString("Rule"));
    }

    [Fact]
    public async Task IgnoresADisabledRule()
    {
        await using var app = await TestApp.StartAsync(
        [
            Rows.Rule("paused", 1, "Reject", caller: "+1425*", reason: "Forbidden", enabled: false),
            Rows.Rule("active", 2, "Reject", caller: "+1425*", reason: "Busy"),
        ]);
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.Contains("\"reason\":\"busy\"", Assert.Single(app.Graph.Requests).Body, StringComparison.Ordinal);
        Assert.Equal("active", (await app.RecordAsync(callId))!.GetString("Rule"));
    }

    [Fact]
    public async Task ReadsPascalCaseEnumsAndPropertyNames()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("block", 1, "Reject", caller: "+1425*")]);
        var callId = Notify.NewCallId();
        var body = Notify.Incoming(callId, Notify.Phone("+14255550123"))
            .Replace("\"changeType\":\"created\"", "\"ChangeType\":\"Created\"", StringComparison.Ordinal)
            .Replace("\"state\":\"incoming\"", "\"State\":\"Incoming\"", StringComparison.Ordinal);

        var response = await app.NotifyAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(app.GraphRequestsFor(callId));
    }

    [Fact]
    public async Task DefaultActionRejectAppliesWhenNoRuleMatches()
    {
        await using var app = await TestApp.StartAsync(
            [Rows.Rule("friends", 1, "Allow", caller: "+1425*")],
            new Dictionary<string, string?> { ["Rules:DefaultAction"] = "Reject" });
        var stranger = Notify.NewCallId();
        var friend = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(stranger, Notify.Phone("+33123456789")));
        await app.NotifyAsync(Notify.Incoming(friend, Notify.Phone("+14255550123")));

        Assert.Equal("""{"callbackUri":"https://bot.contoso.com/api/calls/outcomes","reason":"none"}""", Assert.Single(app.GraphRequestsFor(stranger)).Body);
        Assert.Equal("(default)", (await app.RecordAsync(stranger))!.GetString("Rule"));
        Assert.Empty(app.GraphRequestsFor(friend));
    }

    [Fact]
    public async Task DryRunDecidesAndRecordsWithoutCallingGraph()
    {
        await using var app = await TestApp.StartAsync(
            [Rows.Rule("block", 1, "Reject", caller: "+1425*")],
            new Dictionary<string, string?> { ["Graph:DryRun"] = "true" });
        var callId = Notify.NewCallId();

        var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(app.Graph.Requests);
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]![0]!;
        Assert.Equal("rejected", report["outcome"]!.GetValue<string>());
        Assert.True(report["dryRun"]!.GetValue<bool>());
        var record = await app.RecordAsync(callId);
        Assert.Equal("Reject", record!.GetString("Action"));
        Assert.True(record.GetBoolean("DryRun"));
        Assert.Equal(0, record.GetInt32("GraphAttempts"));
    }
}
