using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Operators;

/// <summary>
/// Every operator's view knows the Challenge action, over calls the real handler challenged: the summary and
/// <c>outcomes list</c> count results by rule, the page shows each record's result, explain gives the rule's key and
/// target and what is remembered of the caller, and what-if lists the calls a candidate Challenge rule would challenge.
/// </summary>
public sealed class ChallengeViewsTests
{
    private const string Adele = "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50";

    private static readonly Azure.Data.Tables.TableEntity Screen =
        Rows.Rule("screen", 10, "Challenge", caller: "+1425*").With("Target", $"user:{Adele}").With("Key", "5").With("Remember", "30d");

    /// <summary>A caller who passes, one who presses another key, the first again (remembered), and an allowed call.</summary>
    private static async Task<(TestApp App, string Passed, string Failed, string Remembered, string Allowed)> AppWithChallengesAsync()
    {
        var app = await TestApp.StartAsync([Screen]);
        var (passed, failed, remembered, allowed) = (Notify.NewCallId(), Notify.NewCallId(), Notify.NewCallId(), Notify.NewCallId());
        await app.NotifyAsync(Notify.Incoming(passed, Notify.Phone("+14255550123")));
        await app.NotifyAsync(Notify.Batch(Notify.UpdatedItem(passed, "established")));
        await app.NotifyAsync(Notify.Batch(Notify.ToneItem(passed, "tone5", 1)));
        await app.NotifyAsync(Notify.Batch(Notify.TerminatedItem(passed, 0, 7015, "transferred")));
        await app.NotifyAsync(Notify.Incoming(failed, Notify.Phone("+14255550124")));
        await app.NotifyAsync(Notify.Batch(Notify.UpdatedItem(failed, "established")));
        await app.NotifyAsync(Notify.Batch(Notify.ToneItem(failed, "tone2", 1)));
        await app.NotifyAsync(Notify.Batch(Notify.TerminatedItem(failed, 200, 7000, "Call ended by the bot")));
        await app.NotifyAsync(Notify.Incoming(remembered, Notify.Phone("+14255550123")));
        await app.NotifyAsync(Notify.Batch(Notify.TerminatedItem(remembered, 200, 5001, "ended")));
        await app.NotifyAsync(Notify.Incoming(allowed, Notify.Phone("+33612345678")));
        await app.NotifyAsync(Notify.Batch(Notify.TerminatedItem(allowed, 200, 5001, "ended")));
        await app.WaitForRecordAsync(allowed, r => r.ContainsKey("TerminatedAt"));
        return (app, passed, failed, remembered, allowed);
    }

    [Fact]
    public async Task TheSummaryTheListAndThePageCountChallengeResultsByRule()
    {
        var (app, passed, failed, remembered, _) = await AppWithChallengesAsync();
        await using var _app = app;

        var summary = JsonNode.Parse(await app.Client.GetStringAsync("/api/outcomes/summary"))!;
        var list = await app.RunCommandAsync("outcomes", "list");
        var data = JsonNode.Parse(await app.Client.GetStringAsync("/api/dashboard?view=data"))!;

        Assert.Equal(
            """[{"rule":"screen","result":"failed","count":1},{"rule":"screen","result":"passed","count":1},{"rule":"screen","result":"remembered","count":1}]""",
            summary["byChallenge"]!.ToJsonString());
        Assert.True(list.Code == 0, list.ToString());
        foreach (var (callId, result) in new[] { (passed, "passed"), (failed, "failed"), (remembered, "remembered") })
            Assert.Contains(list.Output.Split('\n'), l => l.StartsWith(callId, StringComparison.Ordinal) && l.Contains($"Challenge {result}", StringComparison.Ordinal));
        Assert.Equal(3, data["totals"]!["challenged"]!.GetValue<int>());
        var rows = data["calls"]!.AsArray();
        Assert.Equal("passed", rows.Single(r => r!["callId"]!.GetValue<string>() == passed)!["challengeResult"]!.GetValue<string>());
        Assert.Equal("failed", rows.Single(r => r!["callId"]!.GetValue<string>() == failed)!["challengeResult"]!.GetValue<string>());
        Assert.Contains(data["actions"]!.AsArray(), a => a!["action"]!.GetValue<string>() == "Challenge" && a["series"]!.GetValue<string>() == "challenged");
    }

    [Fact]
    public async Task ExplainGivesTheKeyTheTargetAndWhatIsRememberedOfTheCaller()
    {
        var (app, _, _, _, _) = await AppWithChallengesAsync();
        await using var _app = app;

        var known = JsonNode.Parse(await (await app.PostAsync("/api/rules/explain", Notify.Incoming(Notify.NewCallId(), Notify.Phone("+14255550123")))).Content.ReadAsStringAsync())!;
        var stranger = JsonNode.Parse(await (await app.PostAsync("/api/rules/explain", Notify.Incoming(Notify.NewCallId(), Notify.Phone("+14255550199")))).Content.ReadAsStringAsync())!;
        var group = JsonNode.Parse(await (await app.PostAsync("/api/rules/explain", Notify.Incoming(Notify.NewCallId(), Notify.Phone("+14255550199"), group: true))).Content.ReadAsStringAsync())!;

        var decision = known["items"]![0]!["decision"]!;
        Assert.Equal(("Challenge", "screen", $"user:{Adele}", "5", "press-5", "30d", 15),
            (decision["action"]!.GetValue<string>(), decision["rule"]!.GetValue<string>(), decision["target"]!.GetValue<string>(),
             decision["key"]!.GetValue<string>(), decision["prompt"]!.GetValue<string>(), decision["remember"]!.GetValue<string>(), decision["timeout"]!.GetValue<int>()));
        Assert.StartsWith("remembered, passed at ", decision["remembered"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("not remembered: the caller is challenged", stranger["items"]![0]!["decision"]!["remembered"]!.GetValue<string>());
        var skipped = group["items"]![0]!;
        Assert.Equal("Allow", skipped["decision"]!["action"]!.GetValue<string>());
        var check = skipped["rules"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "screen")!["conditions"]!.AsArray()
            .Single(c => c!["column"]!.GetValue<string>() == "CallType")!;
        Assert.Equal("the call is Group: a group-call invitation skips Challenge rules, which answer peer-to-peer calls only", check["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task WhatIfListsTheCallsACandidateChallengeRuleWouldChallenge()
    {
        var (app, _, _, _, allowed) = await AppWithChallengesAsync();
        await using var _app = app;
        const string Candidate = """
            [
              {"PartitionKey":"default","RowKey":"screen","Priority":10,"Action":"Challenge","Caller":"+1425*","Target":"user:73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50","Key":"5","Remember":"30d"},
              {"PartitionKey":"default","RowKey":"screen-france","Priority":20,"Action":"Challenge","Caller":"+33*","Target":"+14255550100"}
            ]
            """;

        var response = await app.PostAsync("/api/rules/whatif", Candidate);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var changed = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["changed"]!.AsArray())!;
        Assert.Equal((allowed, "Allow", "Challenge, then to phone:+14255550100", "screen-france"),
            (changed["callId"]!.GetValue<string>(), changed["oldAction"]!.GetValue<string>(), changed["newAction"]!.GetValue<string>(), changed["newRule"]!.GetValue<string>()));
    }
}
