using System.Net;
using System.Text.Json.Nodes;
using CallFunctions.Operators.DashboardPage;
using CallFunctions.Records;
using CallFunctions.Operators.Outcomes;

namespace CallFunctions.Tests.Operators.Outcomes;

/// <summary><c>outcomes summary</c> and <c>GET /api/outcomes/summary</c> over records the real handler wrote.</summary>
public sealed class SummaryTests
{
    /// <summary>Three calls: two rejected by one rule, one allowed by default; they end in two different ways.</summary>
    private static async Task<TestApp> AppWithEndedCallsAsync(DateTimeOffset? now = null)
    {
        var app = await TestApp.StartAsync([Rows.Rule("block-premium", 10, "Reject", caller: "+1900*")], now: now);
        var rejected1 = Notify.NewCallId();
        var rejected2 = Notify.NewCallId();
        var allowed = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(rejected1, Notify.Phone("+19005550100")));
        await app.NotifyAsync(Notify.Incoming(rejected2, Notify.Phone("+19005550101")));
        await app.NotifyAsync(Notify.Incoming(allowed, Notify.Phone("+14255550123")));
        await app.NotifyAsync(Notify.Batch(
            Notify.TerminatedItem(rejected1),
            Notify.TerminatedItem(rejected2),
            Notify.TerminatedItem(allowed, 200, 5001, "The conversation has ended. DiagCode: 0#5001.@")));
        await app.NotifyAsync(Notify.Incoming(Notify.NewCallId(), Notify.Phone("+14255550123"))); // still ringing: not counted
        return app;
    }

    [Fact]
    public async Task TheCommandCountsTerminationsByCodeAndByRule()
    {
        await using var app = await AppWithEndedCallsAsync();

        var result = await app.RunCommandAsync("outcomes", "summary");

        Assert.True(result.Code == 0, result.ToString());
        var lines = result.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains("Terminations from the first record to now: 3", lines);
        Assert.Contains("     2      -        -  No resultInfo: the call ended without a reason (as after a reject)", lines);
        Assert.Contains("     1    200     5001  The conversation has ended.", lines);
        Assert.Contains("     2  block-premium                 Reject", lines);
        Assert.Contains("     1  (default)                     Allow", lines);
    }

    [Fact]
    public async Task TheEndpointGivesTheSameCountsAsJsonAndHonoursThePeriod()
    {
        // The calls end at 12:00 by the app's clock: a period from 11:00 holds them, whatever the time of the run.
        await using var app = await AppWithEndedCallsAsync(DateTimeOffset.Parse("2027-01-13T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        var response = await app.Client.GetAsync("/api/outcomes/summary?from=2027-01-13T11:00:00Z");
        var before = await app.Client.GetAsync("/api/outcomes/summary?from=2027-01-13T11:00:00Z&to=2027-01-13T12:00:00Z");
        var future = await app.Client.GetAsync("/api/outcomes/summary?from=2999-01-01&to=2999-01-02");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(3, body["terminations"]!.GetValue<int>());
        Assert.Equal("2027-01-13T11:00:00+00:00", body["from"]!.GetValue<string>());
        Assert.Contains("""{"code":200,"subcode":5001,"meaning":"The conversation has ended.","count":1}""",
            body["byCode"]!.AsArray().Select(n => n!.ToJsonString()));
        Assert.Contains("""{"code":null,"subcode":null,"meaning":"No resultInfo: the call ended without a reason (as after a reject)","count":2}""",
            body["byCode"]!.AsArray().Select(n => n!.ToJsonString()));
        Assert.Equal("""[{"rule":"block-premium","action":"Reject","count":2,"target":null},{"rule":"(default)","action":"Allow","count":1,"target":null}]""",
            body["byRule"]!.ToJsonString());
        Assert.Equal(0, JsonNode.Parse(await future.Content.ReadAsStringAsync())!["terminations"]!.GetValue<int>());
        Assert.Equal(0, JsonNode.Parse(await before.Content.ReadAsStringAsync())!["terminations"]!.GetValue<int>());
    }

    /// <summary>
    /// A decision whose Rule column is missing (a row written by hand: the app always writes it) is the default's, in the
    /// summary as on the page and in what-if; "(none)" is for a call with no decision at all.
    /// </summary>
    [Fact]
    public void ADecisionWithoutItsRuleCountsUnderTheDefaultInTheSummaryAsOnThePage()
    {
        var at = DateTimeOffset.Parse("2027-01-13T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var decided = CallRecord.New("decided-by-hand");
        (decided["Action"], decided["ReceivedAt"], decided["TerminatedAt"]) = ("Allow", at, at.AddMinutes(1));
        var undecided = CallRecord.New("seen-only-ending");
        undecided["TerminatedAt"] = at.AddMinutes(2);
        CallRecord[] records = [CallRecord.From(decided), CallRecord.From(undecided)];

        var summary = OutcomeSummary.Count(records, null, null);
        var page = DashboardData.Build(records, at.AddHours(-1), at.AddHours(1), new RulesView("Rules", at, null, []));

        Assert.Equal(["(default) Allow", "(none) (none)"], summary.ByRule.Select(r => $"{r.Rule} {r.ActionText}"));
        Assert.Equal(["(default) Allow"], page.TopRules.Select(r => $"{r.Rule} {r.ActionText}"));
    }

    [Theory]
    [InlineData("?from=yesterday", "from: \"yesterday\" is not a time")]
    [InlineData("?to=2026-13-01", "to: \"2026-13-01\" is not a time")]
    [InlineData("?from=2026-03-02&to=2026-03-01", "from must be before to.")]
    public async Task ABadPeriodIsAProblemSayingWhatIsWrong(string query, string detail)
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.GetAsync("/api/outcomes/summary" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith(detail, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(problem["errors"]!.AsArray());
    }

    [Fact]
    public async Task TheCommandRefusesABadPeriod()
    {
        await using var tables = await TestTables.CreateAsync();

        var result = await tables.RunAsync("outcomes", "summary", "--from", "2026-03-02", "--to", "2026-03-01");

        Assert.Equal(64, result.Code);
        Assert.Contains("from must be before to.", result.Error, StringComparison.Ordinal);
    }
}
