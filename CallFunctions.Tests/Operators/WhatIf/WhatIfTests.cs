using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Operators.WhatIf;

/// <summary><c>rules whatif</c> and <c>POST /api/rules/whatif</c> over calls the real handler recorded.</summary>
/// <remarks>What-if only reads: the tool and the route look at the same recorded calls (<see cref="RecordedCalls"/>).</remarks>
public sealed class WhatIfTests(WhatIfTests.RecordedCalls calls) : IClassFixture<WhatIfTests.RecordedCalls>
{
    private const string Premium = "11111111-0000-4000-8000-000000000001";
    private const string Us = "11111111-0000-4000-8000-000000000002";
    private const string France = "11111111-0000-4000-8000-000000000003";
    private const string EndOnly = "11111111-0000-4000-8000-000000000004";
    private const string Earlier = "11111111-0000-4000-8000-000000000005";

    /// <summary>The day before, after <see cref="Earlier"/>: caller A rings four times, caller B twice, in this order.</summary>
    private static readonly (string CallId, string Caller)[] Rings =
    [
        ("11111111-0000-4000-8000-0000000000a1", "+14255550141"), ("11111111-0000-4000-8000-0000000000b1", "+14255550142"),
        ("11111111-0000-4000-8000-0000000000a2", "+14255550141"), ("11111111-0000-4000-8000-0000000000b2", "+14255550142"),
        ("11111111-0000-4000-8000-0000000000a3", "+14255550141"), ("11111111-0000-4000-8000-0000000000a4", "+14255550141"),
    ];

    /// <summary>The rules a change would bring: the premium block goes, US callers are refused as busy in office hours.</summary>
    private const string NewRules = """
        [
          {"PartitionKey":"default","RowKey":"block-us","Priority":10,"Action":"Reject","Reason":"Busy","Caller":"+1425*","Hours":"09:00-17:00","TimeZone":"UTC"}
        ]
        """;

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>
    /// On 2026-03-10: a premium caller rejected, a US and a French caller allowed, a call seen only ending. The day before:
    /// one US call, then the <see cref="Rings"/> of two callers, all allowed.
    /// </summary>
    /// <remarks>
    /// The host cannot be handed a clock object: each time is another instance of the app on the same tables, its clock
    /// started at that instant (Diagnostics__ClockStart), as a scaled-out app writes records.
    /// </remarks>
    public sealed class RecordedCalls : IAsyncLifetime
    {
        public TestApp App { get; private set; } = null!;

        public async Task InitializeAsync() => App = await AppWithCallsAsync();

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    private static async Task<TestApp> AppWithCallsAsync()
    {
        var app = await TestApp.StartAsync([Rows.Rule("block-premium", 10, "Reject", caller: "+1900*")], now: At("2026-03-09T10:00:00Z"));
        await app.NotifyAsync(Notify.Incoming(Earlier, Notify.Phone("+14255550199")));
        await app.WaitForRecordAsync(Earlier, _ => true);
        foreach (var (callId, caller) in Rings)
        {
            await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone(caller)));
            await app.WaitForRecordAsync(callId, r => r.ContainsKey("Action"));
        }
        foreach (var (at, callId, body) in new[]
                 {
                     ("2026-03-10T09:00:00Z", Premium, Notify.Incoming(Premium, Notify.Phone("+19005550100"))),
                     ("2026-03-10T10:30:00Z", Us, Notify.Incoming(Us, Notify.Phone("+14255550123"))),
                     ("2026-03-10T18:00:00Z", France, Notify.Incoming(France, Notify.Phone("+14255550124"))),
                 })
        {
            await using var then = await app.AnotherInstanceAsync(now: At(at));
            await then.NotifyAsync(body);
            await then.WaitForRecordAsync(callId, r => r.ContainsKey("Action"));
        }
        await using (var evening = await app.AnotherInstanceAsync(now: At("2026-03-10T19:00:00Z")))
        {
            await evening.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(EndOnly, 200, 5001)));
            await evening.WaitForRecordAsync(EndOnly, r => r.ContainsKey("TerminatedAt"));
        }
        return app;
    }

    [Fact]
    public async Task TheToolListsTheCallsWhoseDecisionWouldChangeAndThoseItCannotReplay()
    {
        var app = calls.App;
        var file = Path.Combine(Path.GetTempPath(), $"whatif-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, NewRules);

        var result = await app.RunCommandAsync("rules", "whatif", file, "--from", "2026-03-10", "--to", "2026-03-11");

        Assert.True(result.Code == 0, result.ToString());
        Assert.Equal(WithinTheHour(
            $"""
            What-if {file} on the calls from 2026-03-10T00:00:00Z to 2026-03-11T00:00:00Z: 4 call(s), 3 replayed, 2 would change, 1 without context.

            call                                   caller                     rang                  was                                 would be
            11111111-0000-4000-8000-000000000002   phone:+14255550123         2026-03-10T10:30:00Z  Allow by (default)                  Reject Busy by block-us
            11111111-0000-4000-8000-000000000001   phone:+19005550100         2026-03-10T09:00:00Z  Reject None by block-premium        Allow by (default)

            Not replayed:
            11111111-0000-4000-8000-000000000004   2026-03-10T19:00:00Z  no incoming notification was recorded (only its end): the caller, callee and call type are unknown

            """.ReplaceLineEndings("\n")),
            WithinTheHour(result.Output.ReplaceLineEndings("\n")));
    }

    /// <summary>
    /// A call's time is when its instance's clock said it rang: the chosen instant plus the seconds the host took to start.
    /// Times on the 10th are compared to the hour.
    /// </summary>
    private static string WithinTheHour(string output) =>
        System.Text.RegularExpressions.Regex.Replace(output, @"(2026-03-10T\d\d):\d\d:\d\dZ", "$1:mm:ssZ");

    [Fact]
    public async Task TheRouteAnswersTheSameAsJson()
    {
        var app = calls.App;

        var response = await app.PostAsync("/api/rules/whatif?from=2026-03-10&to=2026-03-11", NewRules);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((4, 3), (body["calls"]!.GetValue<int>(), body["replayed"]!.GetValue<int>()));
        Assert.Equal(
            [$"{Us} Allow (default) -> Reject Busy block-us", $"{Premium} Reject None block-premium -> Allow (default)"],
            body["changed"]!.AsArray().Select(c =>
                $"{c!["callId"]} {c["oldAction"]} {c["oldRule"]} -> {c["newAction"]} {c["newRule"]}"));
        Assert.Equal(EndOnly, Assert.Single(body["withoutContext"]!.AsArray())!["callId"]!.GetValue<string>());
    }

    [Fact]
    public async Task AddingARepeatRuleListsExactlyTheRingsItWouldChangeEachCountingTheRingsBeforeIt()
    {
        var app = calls.App;
        const string WithRepeat = """
            [
              {"PartitionKey":"default","RowKey":"block-premium","Priority":10,"Action":"Reject","Caller":"+1900*"},
              {"PartitionKey":"default","RowKey":"robot","Priority":20,"Action":"Reject","Reason":"Busy","Repeat":"3/1h"}
            ]
            """;

        var response = await app.PostAsync("/api/rules/whatif?from=2026-03-09&to=2026-03-10", WithRepeat);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((7, 7), (body["calls"]!.GetValue<int>(), body["replayed"]!.GetValue<int>()));
        // A's 3rd and 4th rings; not its first two, nor B's 2nd: a ring counts only its caller's rings before it.
        Assert.Equal(
            ["11111111-0000-4000-8000-0000000000a4 phone:+14255550141 Allow (default) -> Reject Busy robot",
             "11111111-0000-4000-8000-0000000000a3 phone:+14255550141 Allow (default) -> Reject Busy robot"],
            body["changed"]!.AsArray().Select(c =>
                $"{c!["callId"]} {c["caller"]} {c["oldAction"]} {c["oldRule"]} -> {c["newAction"]} {c["newRule"]}"));
    }

    [Theory]
    [InlineData("?from=2026-03-10", "[{\"PartitionKey\":\"default\",\"RowKey\":\"x\",\"Action\":\"Rejekt\"}]", "Invalid rules file",
        "PartitionKey=default RowKey=x: column ")]
    [InlineData("", "{not json", "Invalid rules file", "not a rules file: ")]
    [InlineData("?from=2026-03-11&to=2026-03-10", "[]", "Invalid period", "from must be before to.")]
    public async Task ABadFileOrPeriodIsAProblemSayingWhatIsWrong(string query, string body, string title, string detail)
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostAsync("/api/rules/whatif" + query, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(title, problem["title"]!.GetValue<string>());
        Assert.StartsWith(detail, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
