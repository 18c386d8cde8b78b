using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Webhook;

public sealed class WebhookInputTests
{
    [Fact]
    public async Task AcceptsAndIgnoresRosterAndOperationNotifications()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("drop-all", 1, "HangUp")]);
        var callId = Notify.NewCallId();
        var roster = Notify.Item("updated", callId, new JsonArray(
            new JsonObject { ["@odata.type"] = "#microsoft.graph.participant", ["id"] = Guid.NewGuid().ToString(), ["isInLobby"] = false }),
            "/participants");
        var operation = Notify.Item("deleted", callId, new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.rejectOperation",
            ["status"] = "completed",
        }, $"/operations/{Guid.NewGuid()}");

        var response = await app.NotifyAsync(Notify.Batch(roster, operation));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var items = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray();
        Assert.All(items, i => Assert.Equal("ignored", i!["outcome"]!.GetValue<string>()));
        Assert.Empty(app.Graph.Requests);
        Assert.Empty(await app.AllRecordsAsync());
    }

    [Fact]
    public async Task AnswersTheLegacyFormatWith204SoGraphResendsIt()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.NotifyAsync("""{"id":"a1b2","type":"Call","links":{"callback":"https://bot"},"notifications":[]}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(app.Graph.Requests);
    }

    [Theory]
    [InlineData("", "The request body is empty.")]
    [InlineData("   ", "The request body is empty.")]
    [InlineData("{\"value\": [", "The request body is not valid JSON")]
    [InlineData("not json", "The request body is not valid JSON")]
    [InlineData("[1,2]", "The request body must be a JSON object, not an array.")]
    [InlineData("{\"@odata.type\":\"#microsoft.graph.commsNotifications\",\"value\":{}}", "\"value\" must be an array of notifications, not an object.")]
    [InlineData("{\"@odata.type\":\"#microsoft.graph.commsNotifications\"}", "The envelope has no \"value\" array of notifications.")]
    [InlineData("{\"@odata.type\":\"#microsoft.graph.changeNotificationCollection\",\"value\":[]}", "@odata.type must be \"#microsoft.graph.commsNotifications\"")]
    [InlineData("{\"value\":[{\"changeType\":\"created\",\"resourceUrl\":\"/communications/calls/abc\",\"resourceData\":{\"state\":5}}]}", "value[0].resourceData.state must be a string, not the number 5.")]
    [InlineData("{\"value\":[{\"changeType\":7,\"resourceUrl\":\"/communications/calls/abc\"}]}", "value[0].changeType must be a string, not the number 7.")]
    [InlineData("{\"value\":[{\"changeType\":\"exploded\",\"resourceUrl\":\"/communications/calls/abc\"}]}", "value[0].changeType must be created, updated or deleted, not \"exploded\".")]
    [InlineData("{\"value\":[{\"changeType\":\"deleted\",\"resourceUrl\":\"/communications/calls/abc\",\"resourceData\":{\"resultInfo\":{\"code\":\"two hundred\"}}}]}", "value[0].resourceData.resultInfo.code must be an integer or a string holding one, not a string.")]
    [InlineData("{\"value\":[{\"changeType\":\"created\",\"resourceUrl\":\"/communications/calls/abc\",\"resourceData\":{\"state\":\"incoming\",\"targets\":{}}}]}", "value[0].resourceData.targets must be an array, not an object.")]
    [InlineData("{\"value\":[{\"changeType\":\"created\"}]}", "value[0] has neither resourceUrl nor resource.")]
    [InlineData("{\"value\":[{\"changeType\":\"created\",\"resourceUrl\":\"/communications/calls/a#b\"}]}", "value[0].resourceUrl holds a call id that is not a Graph call id")]
    [InlineData("{\"value\":[42]}", "value[0] must be an object, not the number 42.")]
    public async Task RefusesBadInputWithAProblemThatSaysWhatIsWrong(string body, string detail)
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("drop-all", 1, "Reject")]);

        var response = await app.NotifyAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.Equal("Invalid notification", problem["title"]!.GetValue<string>());
        Assert.StartsWith(detail, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(app.Graph.Requests);
        Assert.Empty(await app.AllRecordsAsync());

        var callId = Notify.NewCallId();
        var next = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
        Assert.Single(app.GraphRequestsFor(callId));
    }

    [Fact]
    public async Task ABadItemDoesNotStopTheOthersOfItsBatch()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("block", 1, "Reject", caller: "+1425*")]);
        var good = Notify.NewCallId();
        var bad = Notify.Item("created", Notify.NewCallId(), new JsonObject { ["state"] = "incoming", ["source"] = "a string" });

        var response = await app.NotifyAsync(Notify.Batch(bad, Notify.IncomingItem(good, Notify.Phone("+14255550123"))));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(app.GraphRequestsFor(good));
        var items = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray();
        Assert.Equal("invalid", items[0]!["outcome"]!.GetValue<string>());
        Assert.Equal("value[0].resourceData.source must be an object, not a string.", items[0]!["error"]!.GetValue<string>());
        Assert.Equal("rejected", items[1]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnEmptyBatchIsAccepted()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.NotifyAsync("""{"@odata.type":"#microsoft.graph.commsNotifications","value":[]}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
