using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Records;

public sealed class TerminationTests
{
    [Theory]
    [InlineData("/api/calls")]
    [InlineData("/api/calls/outcomes")]
    public async Task RecordsStringCodesFromTheDocumentation(string route)
    {
        var now = DateTimeOffset.Parse("2027-01-13T12:00:00Z", CultureInfo.InvariantCulture);
        await using var app = await TestApp.StartAsync(now: now);
        var callId = Notify.NewCallId();

        var response = await app.PostAsync(route, Notify.Sample("terminated-5001.json", callId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var record = await app.RecordAsync(callId);
        Assert.NotNull(record);
        Assert.Equal(callId, record.GetString("CallId"));
        Assert.Equal(200, record.GetInt32("Code"));
        Assert.Equal(5001, record.GetInt32("Subcode"));
        Assert.Equal("The conversation has ended.", record.GetString("Message"));
        Assert.Equal("The conversation has ended.", record.GetString("Meaning"));
        // The app's clock started at noon when its host did: the termination is stamped by it, minutes at most later.
        Assert.InRange(record.GetDateTimeOffset("TerminatedAt")!.Value, now, now.AddMinutes(5));
    }

    [Fact]
    public async Task TheOutcomesFunctionRecordsTheTenantATerminationNames()
    {
        const string tenant = "1cd119ab-b444-4c16-84b9-8538585d1987";
        await using var app = await TestApp.StartAsync();
        var callId = Notify.NewCallId();
        var ended = Notify.TerminatedItem(callId, JsonValue.Create(200), JsonValue.Create(5001), "The conversation has ended.");
        ended["resourceData"]!["tenantId"] = tenant;

        var response = await app.PostAsync("/api/calls/outcomes", Notify.Batch(ended));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var record = await app.RecordAsync(callId);
        Assert.Equal(tenant, record!.GetString("TenantId"));
        Assert.Equal(5001, record.GetInt32("Subcode"));
    }

    [Fact]
    public async Task RecordsIntegerCodesAndKeepsTheRawDiagCodeMessage()
    {
        await using var app = await TestApp.StartAsync();

        await app.NotifyAsync(Notify.Sample("terminated-5002-real.json"));

        var record = await app.RecordAsync("6c1f5e00-76e1-4d4a-9a16-dc2b92a449dd");
        Assert.Equal(200, record!.GetInt32("Code"));
        Assert.Equal(5002, record.GetInt32("Subcode"));
        Assert.Equal("The conversation has ended. DiagCode: 0#5002.@", record.GetString("Message"));
        Assert.Equal("The conversation ended because all other participants left the call.", record.GetString("Meaning"));
        Assert.Equal("ffec1e98-9d8b-4201-ac1f-a5509347d041", record.GetString("ChainId"));
    }

    [Fact]
    public async Task RecordsAnUndocumentedCodeAsIs()
    {
        await using var app = await TestApp.StartAsync();
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Batch(Notify.TerminatedItem(callId, JsonValue.Create(487), JsonValue.Create(99999), "Something new.")));

        var record = await app.RecordAsync(callId);
        Assert.Equal(487, record!.GetInt32("Code"));
        Assert.Equal(99999, record.GetInt32("Subcode"));
        Assert.Equal("Something new.", record.GetString("Message"));
        Assert.Equal("Undocumented code", record.GetString("Meaning"));
    }

    [Fact]
    public async Task RecordsTheDeletionThatFollowsARejectWithTheRuleAndAction()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("block-uk", 3, "Reject", caller: "+44*", reason: "Forbidden")]);
        var callId = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+442071838750")));

        var response = await app.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(callId)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var record = await app.RecordAsync(callId);
        Assert.Equal("block-uk", record!.GetString("Rule"));
        Assert.Equal("Reject", record.GetString("Action"));
        Assert.Equal(Notify.Tenant, record.GetString("TenantId"));
        Assert.Null(record.GetInt32("Code"));
        Assert.Null(record.GetInt32("Subcode"));
        Assert.Equal("No resultInfo: the call ended without a reason (as after a reject)", record.GetString("Meaning"));
        Assert.NotNull(record.GetDateTimeOffset("TerminatedAt"));
    }

    [Fact]
    public async Task ADuplicateTerminationUpdatesTheOneRecordOfTheCall()
    {
        await using var app = await TestApp.StartAsync();
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Sample("terminated-5001.json", callId));
        await app.NotifyAsync(Notify.Sample("terminated-5001.json", callId));
        await app.PostAsync("/api/calls/outcomes", Notify.Sample("terminated-5001.json", callId));

        var record = Assert.Single(await app.AllRecordsAsync());
        Assert.Equal(callId, record.PartitionKey);
        Assert.Equal(5001, record.GetInt32("Subcode"));
    }

    [Fact]
    public async Task HandlesABatchMixingAnIncomingCallAndATerminationOfAnother()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("block", 1, "Reject", caller: "+1425*", reason: "Busy")]);
        var incoming = Notify.NewCallId();
        var ended = Notify.NewCallId();

        var response = await app.NotifyAsync(Notify.Batch(
            Notify.IncomingItem(incoming, Notify.Phone("+14255550123")),
            Notify.TerminatedItem(ended, JsonValue.Create(200), JsonValue.Create(4097), "Call ended.")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(app.GraphRequestsFor(incoming));
        Assert.Equal("Reject", (await app.RecordAsync(incoming))!.GetString("Action"));
        Assert.Equal("Call ended by the other participant in the call.", (await app.RecordAsync(ended))!.GetString("Meaning"));
        var items = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray();
        Assert.Equal(["rejected", "recorded"], items.Select(i => i!["outcome"]!.GetValue<string>()));
    }

    [Fact]
    public async Task TheOutcomesFunctionIgnoresNotificationsOtherThanTerminations()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("block", 1, "Reject", caller: "+1425*")]);
        var callId = Notify.NewCallId();

        var response = await app.PostAsync("/api/calls/outcomes", Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(app.Graph.Requests);
        Assert.Null(await app.RecordAsync(callId));
    }
}
