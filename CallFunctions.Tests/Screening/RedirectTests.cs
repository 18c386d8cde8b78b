using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Screening;

/// <summary>Redirect rules through the host: the exact request the Microsoft.Graph SDK sends, and the call's record.</summary>
public sealed class RedirectTests
{
    private const string Adele = "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50";
    private const string Reception = "92167092-7c3e-4b8a-8c1d-5e6f7a8b9c0d";

    /// <summary>
    /// One target as the SDK writes it: Graph's documented shape, each object with its @odata.type. The SDK's JSON
    /// writer escapes the + of a number as \u002B, which is the same JSON string.
    /// </summary>
    private static string Target(string kind, string id) =>
        $$$"""{"identity":{"@odata.type":"#microsoft.graph.identitySet","{{{kind}}}":{"id":"{{{id.Replace("+", "\\u002B", StringComparison.Ordinal)}}}","@odata.type":"#microsoft.graph.identity"}},"@odata.type":"#microsoft.graph.invitationParticipantInfo"}""";

    private static string Body(string targets, int? timeout = null) =>
        $$$"""{"callbackUri":"{{{TestApp.CallbackUri}}}","targets":[{{{targets}}}]{{{(timeout is null ? "" : $",\"timeout\":{timeout}")}}}}""";

    [Fact]
    public async Task RedirectsARingingCallToTheRulesTargetWithItsTimeoutAndRecordsIt()
    {
        await using var app = await TestApp.StartAsync(
            [Rows.Rule("to-adele", 10, "Redirect", caller: "+1800*").With("Target", $"user:{Adele}").With("Timeout", 45)]);
        var callId = Notify.NewCallId();

        var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+18005550100")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var item = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]![0]!;
        Assert.Equal("redirected", item["outcome"]!.GetValue<string>());
        Assert.Equal("to-adele", item["rule"]!.GetValue<string>());
        var request = Assert.Single(app.Graph.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/v1.0/communications/calls/{callId}/redirect", request.Path);
        Assert.Equal(Body(Target("user", Adele), timeout: 45), request.Body);
        var record = await app.RecordAsync(callId);
        Assert.Equal("to-adele", record!.GetString("Rule"));
        Assert.Equal("Redirect", record.GetString("Action"));
        Assert.Equal($"user:{Adele}", record.GetString("Target"));
        Assert.Null(record.GetString("Reason"));
        Assert.Equal(202, record.GetInt32("GraphStatus"));
        Assert.Equal(1, record.GetInt32("GraphAttempts"));
        Assert.True((await app.Outcomes.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(callId, "claim-redirect")).HasValue);

        // The call ends once a target has taken it (or none did): recorded as for any call, beside the redirect.
        await app.NotifyAsync(Notify.Batch(Notify.TerminatedItem(callId, 200, 5001, "The conversation has ended.")));
        var ended = await app.RecordAsync(callId);
        Assert.Equal(5001, ended!.GetInt32("Subcode"));
        Assert.Equal("Redirect", ended.GetString("Action"));
        Assert.Equal($"user:{Adele}", ended.GetString("Target"));
    }

    [Fact]
    public async Task RingsThreeTargetsAtOnceAndSendsNoTimeoutWhenTheRuleHasNone()
    {
        await using var app = await TestApp.StartAsync(
        [
            Rows.Rule("everyone", 10, "Redirect", caller: "+1800*")
                .With("Target", $"phone:+14255550100, user:{Adele}, applicationInstance:{Reception}"),
        ]);
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+18005550100")));

        var request = Assert.Single(app.GraphRequestsFor(callId));
        Assert.Equal(Body($"{Target("phone", "+14255550100")},{Target("user", Adele)},{Target("applicationInstance", Reception)}"), request.Body);
        Assert.Equal($"phone:+14255550100, user:{Adele}, applicationInstance:{Reception}", (await app.RecordAsync(callId))!.GetString("Target"));
    }

    [Fact]
    public async Task RedirectsToAPstnNumberWrittenAsACallerNumberMayBe()
    {
        await using var app = await TestApp.StartAsync(
            [Rows.Rule("on-call", 10, "Redirect", callee: Notify.BotInstance).With("Target", "+1 (425) 555-0100").With("Timeout", "20")]);
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.User(Guid.NewGuid().ToString())));

        var request = Assert.Single(app.GraphRequestsFor(callId));
        Assert.Equal(Body(Target("phone", "+14255550100"), timeout: 20), request.Body);
        Assert.Equal("+14255550100", request.Json!["targets"]![0]!["identity"]!["phone"]!["id"]!.GetValue<string>());
        Assert.Equal("phone:+14255550100", (await app.RecordAsync(callId))!.GetString("Target"));
    }

    [Fact]
    public async Task RetriesA429WithinTheDeadlineAndRecordsBothAttempts()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("front-desk", 10, "Redirect", caller: "+1425*").With("Target", "+14255550100")]);
        app.Graph.Enqueue(new GraphFault(429, RetryAfter: "1"));
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        var requests = app.GraphRequestsFor(callId);
        Assert.Equal(2, requests.Count);
        Assert.Equal(429, requests[0].Status);
        Assert.Equal(Body(Target("phone", "+14255550100")), requests[1].Body);
        Assert.Equal(requests[0].Body, requests[1].Body);
        // A lower bound only: a busy machine makes the retry later, never sooner.
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(0.9), $"retried after {(requests[1].At - requests[0].At).TotalSeconds:0.00} s");
        var record = await app.RecordAsync(callId);
        Assert.Equal(202, record!.GetInt32("GraphStatus"));
        Assert.Equal(2, record.GetInt32("GraphAttempts"));
    }

    [Fact]
    public async Task ARedirectIsSentOnceAndTheCallsLaterNotificationsMeetNoHangUpRule()
    {
        await using var app = await TestApp.StartAsync(
        [
            Rows.Rule("front-desk", 10, "Redirect", caller: "+1800*").With("Target", "+14255550100"),
            Rows.Rule("drop-toll-free", 20, "HangUp", caller: "+1800*"),
        ]);
        var callId = Notify.NewCallId();
        var ring = Notify.Incoming(callId, Notify.Phone("+18005550100"));

        await app.NotifyAsync(ring);
        var again = await app.NotifyAsync(ring);
        var established = await app.NotifyAsync(Notify.Sample("established.json", callId));

        Assert.Equal("duplicate", JsonNode.Parse(await again.Content.ReadAsStringAsync())!["items"]![0]!["outcome"]!.GetValue<string>());
        Assert.Equal("none", JsonNode.Parse(await established.Content.ReadAsStringAsync())!["items"]![0]!["outcome"]!.GetValue<string>());
        Assert.Equal("POST", Assert.Single(app.GraphRequestsFor(callId)).Method);
    }

    [Fact]
    public async Task TheFrontDoorRedirectsEveryCallNoRuleRejectsToTheDefaultTarget()
    {
        await using var app = await TestApp.StartAsync(
            [Rows.Rule("premium", 10, "Reject", caller: "+1900*", reason: "Forbidden")],
            new Dictionary<string, string?> { ["Rules:DefaultAction"] = "Redirect", ["Rules:DefaultTarget"] = $"+1 425-555-0100, user:{Adele}" });
        var stranger = Notify.NewCallId();
        var premium = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(stranger, Notify.Phone("+33123456789")));
        await app.NotifyAsync(Notify.Incoming(premium, Notify.Phone("+19005550100")));

        Assert.Equal(Body($"{Target("phone", "+14255550100")},{Target("user", Adele)}"), Assert.Single(app.GraphRequestsFor(stranger)).Body);
        var record = await app.RecordAsync(stranger);
        Assert.Equal("(default)", record!.GetString("Rule"));
        Assert.Equal("Redirect", record.GetString("Action"));
        Assert.Equal($"phone:+14255550100, user:{Adele}", record.GetString("Target"));
        Assert.EndsWith("/reject", Assert.Single(app.GraphRequestsFor(premium)).Path, StringComparison.Ordinal);

        var explained = JsonNode.Parse(await (await app.PostAsync("/api/rules/explain", Notify.Incoming(Notify.NewCallId(), Notify.Phone("+33123456789"))))
            .Content.ReadAsStringAsync())!;
        Assert.Equal("Redirect", explained["defaultAction"]!.GetValue<string>());
        Assert.Equal($"phone:+14255550100, user:{Adele}", explained["defaultTarget"]!.GetValue<string>());
        var decision = explained["items"]![0]!["decision"]!;
        Assert.Equal("Redirect", decision["action"]!.GetValue<string>());
        Assert.Equal("(default)", decision["rule"]!.GetValue<string>());
        Assert.Equal($"phone:+14255550100, user:{Adele}", decision["target"]!.GetValue<string>());
    }
}
