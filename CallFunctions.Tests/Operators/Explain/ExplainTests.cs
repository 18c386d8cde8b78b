using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Operators.Explain;

/// <summary><c>rules explain</c> and <c>POST /api/rules/explain</c>: the same rules, the same notification, the same answer.</summary>
public sealed class ExplainTests
{
    // 08:30 in Paris on the spring-forward day: before the office opens.
    private const string BeforeOpening = "2026-03-29T06:30:00Z";
    private const string AfterOpening = "2026-03-29T07:30:00Z";

    private static Azure.Data.Tables.TableEntity[] Rules() =>
    [
        Rows.Rule("office-hours", 5, "Allow", hours: "09:00-17:00", timeZone: "Europe/Paris"),
        Rows.Rule("reception-vip", 10, "Allow", caller: "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50"),
        Rows.Rule("block-test-number", 20, "Reject", caller: "+1 425-555-0123", reason: "Busy"),
        Rows.Rule("premium-numbers", 40, "Reject", caller: "+1900*"),
        Rows.Rule("hang-up-france", 50, "HangUp", caller: "+33*"),
        Rows.Rule("typo", 60, "Rejekt"),
    ];

    [Fact]
    public async Task TheCommandShowsWhyEachRuleDidOrDidNotMatchAndTheDecision()
    {
        await using var tables = await TestTables.CreateAsync(Rules());
        var file = Path.Combine(Directory.CreateTempSubdirectory("explain-").FullName, "incoming.json");
        await File.WriteAllTextAsync(file, Notify.Sample("incoming-pstn.json"));

        var result = await tables.RunAsync("rules", "explain", file, "--at", BeforeOpening);

        Assert.True(result.Code == 0, result.ToString());
        var lines = result.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains("Explained at 2026-03-29T06:30:00Z; default action Allow.", lines);
        Assert.Contains("Notification 0: call 491f0b00-ffff-4bc9-a43e-b226498ec22a (incoming)", lines);
        Assert.Contains("    no match         5  default/office-hours             Allow", lines);
        Assert.Contains(lines, l => l.Trim() == "Hours \"09:00-17:00\": does not hold, local time Sun 2026-03-29 08:30 in Europe/Paris");
        Assert.Contains("    matched         20  default/block-test-number        Reject Busy", lines);
        Assert.Contains(lines, l => l.Trim() == "Caller \"+1 425-555-0123\": holds, caller phone:+14255550123");
        Assert.Contains("    not reached     40  default/premium-numbers          Reject None", lines);
        Assert.Contains("    other stage     50  default/hang-up-france           HangUp", lines);
        Assert.Contains("    bad row             default/typo", lines);
        Assert.Contains("  decision Reject (Busy) by rule block-test-number", lines);
    }

    [Fact]
    public async Task TheCommandAtAnotherTimeShowsTheTimeRuleMatching()
    {
        await using var tables = await TestTables.CreateAsync(Rules());
        var file = Path.Combine(Directory.CreateTempSubdirectory("explain-").FullName, "incoming.json");
        await File.WriteAllTextAsync(file, Notify.Sample("incoming-pstn.json"));

        var result = await tables.RunAsync("rules", "explain", file, "--at", "2026-03-29T09:30:00+02:00");

        Assert.True(result.Code == 0, result.ToString());
        Assert.Contains("    matched          5  default/office-hours             Allow", result.Output, StringComparison.Ordinal);
        Assert.Contains("    not reached     20  default/block-test-number", result.Output, StringComparison.Ordinal);
        Assert.Contains("  decision Allow by rule office-hours", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEndpointGivesTheSameAnswerAsJsonWithoutCallingGraphOrRecording()
    {
        await using var app = await TestApp.StartAsync(Rules());

        var response = await app.PostAsync($"/api/rules/explain?at={BeforeOpening}", Notify.Sample("incoming-pstn.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("2026-03-29T06:30:00+00:00", body["at"]!.GetValue<string>());
        var item = body["items"]![0]!;
        Assert.Equal("incoming", item["stage"]!.GetValue<string>());
        Assert.Equal("phone:+14255550123", item["caller"]!.GetValue<string>());
        Assert.Equal("""{"action":"Reject","reason":"Busy","rule":"block-test-number","target":null,"timeout":null}""", item["decision"]!.ToJsonString());
        var rules = item["rules"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!);
        Assert.Equal("noMatch", rules["office-hours"]["verdict"]!.GetValue<string>());
        Assert.Equal(
            """[{"column":"Hours","value":"09:00-17:00","holds":false,"detail":"local time Sun 2026-03-29 08:30 in Europe/Paris"}]""",
            rules["office-hours"]["conditions"]!.ToJsonString());
        Assert.Equal("matched", rules["block-test-number"]["verdict"]!.GetValue<string>());
        Assert.Equal("notReached", rules["premium-numbers"]["verdict"]!.GetValue<string>());
        Assert.Equal("otherStage", rules["hang-up-france"]["verdict"]!.GetValue<string>());
        Assert.Equal("badRow", rules["typo"]["verdict"]!.GetValue<string>());
        Assert.Empty(app.Graph.Requests);
        Assert.Null(await app.RecordAsync("491f0b00-ffff-4bc9-a43e-b226498ec22a"));

        var later = await app.PostAsync($"/api/rules/explain?at={AfterOpening}", Notify.Sample("incoming-pstn.json"));
        var laterItem = JsonNode.Parse(await later.Content.ReadAsStringAsync())!["items"]![0]!;
        Assert.Equal("office-hours", laterItem["decision"]!["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task ALaterNotificationIsExplainedWithWhatTheCallsRecordKnows()
    {
        // Explained at the app's "now": pinned before the office opens, or the office-hours Allow rule would decide.
        await using var app = await TestApp.StartAsync(Rules(), now: DateTimeOffset.Parse(BeforeOpening, CultureInfo.InvariantCulture));
        var callId = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+33142685300")));

        // Outside office hours (Paris), whatever the machine's time: the office-hours rule would allow the call first.
        var response = await app.PostAsync("/api/rules/explain?at=2026-03-29T20:00:00Z", Notify.Sample("established.json", callId));

        var item = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]![0]!;
        Assert.Equal("active", item["stage"]!.GetValue<string>());
        Assert.Equal("phone:+33142685300", item["caller"]!.GetValue<string>());
        var rules = item["rules"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!);
        Assert.Equal("noMatch", rules["office-hours"]["verdict"]!.GetValue<string>());
        Assert.Equal("hang-up-france", item["decision"]!["rule"]!.GetValue<string>());
        Assert.Empty(app.Graph.Requests);
    }

    [Fact]
    public async Task WhenTheCallsRecordCannotBeReadALaterNotificationIsExplainedAsTheWebhookDecidesItAndSaysSo()
    {
        await using var app = await TestApp.StartAsync(Rules(), now: DateTimeOffset.Parse(BeforeOpening, CultureInfo.InvariantCulture), storageFaults: true);
        var callId = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+33142685300")));
        // Every read of the call's record answers 503, the SDK's retries too.
        var refused = app.StorageFaults!.Inject(r => !r.IsWrite && r.PartitionKey == callId && r.RowKey == "call", StorageFault.Error(503), times: 1000);

        var response = await app.PostAsync("/api/rules/explain?at=2026-03-29T20:00:00Z", Notify.Sample("established.json", callId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]![0]!;
        Assert.Equal("active", item["stage"]!.GetValue<string>());
        Assert.Contains("could not be read", item["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("(none: anonymous)", item["caller"]!.GetValue<string>());
        Assert.Equal("Allow", item["decision"]!["action"]!.GetValue<string>());
        // Without the record the caller is unknown, as the webhook on another instance than the ring's then decides it.
        Assert.Empty(app.GraphRequestsFor(callId));
        Assert.True(refused.Hits > 0);
    }

    [Theory]
    [InlineData("?at=tomorrow", "{}", "at: \"tomorrow\" is not a time")]
    [InlineData("?at=2026-03-29T10:00:00", "{}", "is not a time: write ISO 8601 with Z or an offset")]
    [InlineData("", "[1]", "The request body must be a JSON object, not an array.")]
    [InlineData("", """{"value":[]}""", "Nothing to explain")]
    public async Task ABadTimeOrBodyIsAProblemSayingWhatIsWrong(string query, string body, string detail)
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostAsync("/api/rules/explain" + query, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(detail, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOffsetWhosePlusWasNotEncodedStillParses()
    {
        await using var app = await TestApp.StartAsync(Rules());

        var response = await app.PostAsync("/api/rules/explain?at=2026-03-29T09:30:00+02:00", Notify.Sample("incoming-pstn.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2026-03-29T09:30:00+02:00", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["at"]!.GetValue<string>());
    }
}
