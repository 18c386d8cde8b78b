using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace CallFunctions.Tests.Screening;

/// <summary>
/// The Challenge action through the host, driven as Graph drives it: the ring, <c>established</c>, the caller's keys
/// (<c>toneInfo</c>), the transfer's states and its end (0/7015); the exact requests the Microsoft.Graph SDK sends, and
/// the call's record.
/// </summary>
public sealed class ChallengeTests
{
    private const string Adele = "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50";

    private static TableEntity ChallengeRule(string key = "5", string? remember = null, int? timeout = null, string caller = "+1425*")
    {
        var row = Rows.Rule("screen", 10, "Challenge", caller: caller).With("Target", $"user:{Adele}").With("Key", key);
        if (remember is not null) row["Remember"] = remember;
        if (timeout is not null) row["Timeout"] = timeout;
        return row;
    }

    private static string Ring(string callId, string number = "+14255550123") => Notify.Incoming(callId, Notify.Phone(number));

    private static string Established(string callId) => Notify.Batch(Notify.UpdatedItem(callId, "established"));

    private static string Key(string callId, string tone, int sequence) => Notify.Batch(Notify.ToneItem(callId, tone, sequence));

    private static string Paths(IEnumerable<GraphRequest> requests) =>
        string.Join(" ", requests.Select(r => $"{r.Method} {r.Path[(r.Path.LastIndexOf('/') + 1)..]}"));

    private static async Task<string> Outcome(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]![0]!["outcome"]!.GetValue<string>();

    /// <summary>The served prompt's resourceId: a GUID from the hash of its audio, the same in every request.</summary>
    private static string ResourceIdOf(GraphRequest request) =>
        request.Json!["mediaConfig"]?["preFetchMedia"]?[0]?["resourceId"]?.GetValue<string>()
        ?? request.Json!["prompts"]![0]!["mediaInfo"]!["resourceId"]!.GetValue<string>();

    [Fact]
    public async Task ACallerWhoPressesTheRulesKeyIsTransferredWithTheExactRequestsOfEachStep()
    {
        await using var app = await TestApp.StartAsync([ChallengeRule()]);
        var callId = Notify.NewCallId();

        var rang = await app.NotifyAsync(Ring(callId));

        Assert.Equal("challenged", await Outcome(rang));
        var answer = Assert.Single(app.GraphRequestsFor(callId));
        Assert.Equal(("POST", $"/v1.0/communications/calls/{callId}/answer"), (answer.Method, answer.Path));
        var resourceId = ResourceIdOf(answer);
        Assert.True(Guid.TryParse(resourceId, out _));
        Assert.Equal(
            $$$"""{"acceptedModalities":["audio"],"callbackUri":"{{{TestApp.CallbackUri}}}","mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig","preFetchMedia":[{"resourceId":"{{{resourceId}}}","uri":"https://bot.contoso.com/api/prompts/press-5"}]}}""",
            answer.Body);
        var record = await app.RecordAsync(callId);
        Assert.Equal(("screen", "Challenge", $"user:{Adele}", 202), (record!.GetString("Rule"), record.GetString("Action"), record.GetString("Target"), record.GetInt32("GraphStatus")));
        Assert.NotNull(record.GetDateTimeOffset("AnsweredAt"));
        Assert.Null(record.GetString("ChallengeResult"));

        // Graph reports the call established, then establishing: the prompt is asked for once.
        Assert.Equal("challenged", await Outcome(await app.NotifyAsync(Established(callId))));
        await app.NotifyAsync(Notify.Batch(Notify.UpdatedItem(callId, "establishing")));
        var prompt = app.GraphRequestsFor(callId).Skip(1).ToList();
        Assert.Equal("POST subscribeToTone POST playPrompt", Paths(prompt));
        Assert.Equal($$$"""{"clientContext":"{{{callId}}}"}""", prompt[0].Body);
        Assert.Equal(
            $$$"""{"clientContext":"{{{callId}}}","prompts":[{"@odata.type":"#microsoft.graph.mediaPrompt","mediaInfo":{"resourceId":"{{{resourceId}}}","uri":"https://bot.contoso.com/api/prompts/press-5"}}]}""",
            prompt[1].Body);

        // A key: the rule's. The prompt is stopped, the call transferred to the rule's target.
        Assert.Equal("redirected", await Outcome(await app.NotifyAsync(Key(callId, "tone5", 1))));
        var passed = app.GraphRequestsFor(callId).Skip(3).ToList();
        Assert.Equal("POST cancelMediaProcessing POST transfer", Paths(passed));
        Assert.Equal($$$"""{"clientContext":"{{{callId}}}"}""", passed[0].Body);
        Assert.Equal(
            $$$"""{"transferTarget":{"identity":{"@odata.type":"#microsoft.graph.identitySet","user":{"id":"{{{Adele}}}","@odata.type":"#microsoft.graph.identity"}},"@odata.type":"#microsoft.graph.invitationParticipantInfo"}}""",
            passed[1].Body);

        // The transfer's states, then the bot's leg ends with 0/7015.
        await app.NotifyAsync(Notify.Batch(Notify.UpdatedItem(callId, "transferring")));
        await app.NotifyAsync(Notify.Batch(Notify.UpdatedItem(callId, "transferAccepted")));
        await app.NotifyAsync(Notify.Batch(Notify.TerminatedItem(callId, 0, 7015, "Call transferred")));
        Assert.Equal(5, app.GraphRequestsFor(callId).Count);
        var ended = await app.RecordAsync(callId);
        Assert.Equal("passed", ended!.GetString("ChallengeResult"));
        Assert.Equal((200, 200, 200, 202), (ended.GetInt32("SubscribeStatus"), ended.GetInt32("PromptStatus"), ended.GetInt32("CancelStatus"), ended.GetInt32("TransferStatus")));
        Assert.True(ended.GetDateTimeOffset("AnsweredAt") <= ended.GetDateTimeOffset("PromptAt"));
        Assert.True(ended.GetDateTimeOffset("PromptAt") <= ended.GetDateTimeOffset("VerdictAt"));
        Assert.Equal("The call was transferred: the bot's part ended when the transfer completed.", ended.GetString("Meaning"));
        // Graph's terms: the keys pressed are never kept, in the record or beside it.
        Assert.DoesNotContain(await app.AllRecordsAsync(), row => row.Select(c => c.Value).OfType<string>().Any(v => v.Contains("tone5", StringComparison.OrdinalIgnoreCase)));

        // Graph fetches the prompt from the app, anonymously.
        var wav = await app.Anonymous.GetAsync("/api/prompts/press-5");
        Assert.Equal(HttpStatusCode.OK, wav.StatusCode);
        Assert.Equal("audio/wav", wav.Content.Headers.ContentType!.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(Repo.Path("CallFunctions", "Prompts", "press-5.wav")), await wav.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Waits for Graph to be sent what <paramref name="done"/> looks for (a DELETE the deadline sends), at most 30 s.</summary>
    private static async Task<IReadOnlyList<GraphRequest>> GraphSentAsync(TestApp app, string callId, Func<IReadOnlyList<GraphRequest>, bool> done)
    {
        for (var i = 0; i < 300 && !done(app.GraphRequestsFor(callId)); i++) await Task.Delay(100);
        return app.GraphRequestsFor(callId);
    }

    /// <summary>The callers remembered as having passed; none when no pass was ever written (no table yet).</summary>
    private static List<TableEntity> Passes(TestApp app)
    {
        try
        {
            return [.. app.PassesTable.Query<TableEntity>()];
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    /// <summary>The deadline's function ran (the host logs each run), for a test that checks it did nothing.</summary>
    private static Task<IReadOnlyList<LogLine>> DeadlineRanAsync(TestApp app) =>
        app.Logs.MatchingAsync(l => l.Message.Contains("Executed 'Functions.ChallengeDeadlines'", StringComparison.Ordinal));

    [Fact]
    public async Task AnotherKeyHangsUpOnceAndRecordsAFailureWithoutTheKey()
    {
        await using var app = await TestApp.StartAsync([ChallengeRule()]);
        var callId = Notify.NewCallId();
        await app.NotifyAsync(Ring(callId));
        await app.NotifyAsync(Established(callId));

        Assert.Equal("hungUp", await Outcome(await app.NotifyAsync(Key(callId, "tone1", 1))));
        // The right key after a wrong one comes too late: the challenge was decided.
        Assert.Equal("duplicate", await Outcome(await app.NotifyAsync(Key(callId, "tone5", 2))));

        Assert.Equal("POST answer POST subscribeToTone POST playPrompt DELETE " + callId, Paths(app.GraphRequestsFor(callId)));
        var record = await app.RecordAsync(callId);
        Assert.Equal(("failed", 204), (record!.GetString("ChallengeResult"), record.GetInt32("HangUpStatus")));
        Assert.NotNull(record.GetDateTimeOffset("VerdictAt"));
        Assert.DoesNotContain(await app.AllRecordsAsync(), row => row.Select(c => c.Value).OfType<string>().Any(v => v.Contains("tone", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task NoKeyWithinTheTimeoutIsHungUpByAnotherInstanceWhenTheAnsweringOneIsGone()
    {
        await using var one = await TestApp.StartAsync([ChallengeRule(timeout: 5)], ownHost: true);
        await using var two = await one.AnotherInstanceAsync();
        var callId = Notify.NewCallId();
        await one.NotifyAsync(Ring(callId));
        await one.NotifyAsync(Established(callId));
        Assert.Equal("POST answer POST subscribeToTone POST playPrompt", Paths(one.GraphRequestsFor(callId)));

        // The instance that answered and asked for the prompt stops before the deadline.
        await one.StopAsync(TimeSpan.FromSeconds(10));
        var sent = await GraphSentAsync(two, callId, r => r.Any(x => x.Method == "DELETE"));

        Assert.Equal("POST answer POST subscribeToTone POST playPrompt DELETE " + callId, Paths(sent));
        var record = await two.WaitForRecordAsync(callId, r => r.GetString("ChallengeResult") is not null);
        Assert.Equal(("timeout", 204), (record.GetString("ChallengeResult"), record.GetInt32("HangUpStatus")));
        var timedOut = record.GetDateTimeOffset("VerdictAt")!.Value - record.GetDateTimeOffset("PromptAt")!.Value;
        Assert.InRange(timedOut, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15));
        // Graph's end of the call the bot hung up changes nothing of the result.
        await two.NotifyAsync(Notify.Batch(Notify.TerminatedItem(callId, 200, 7000, "Call ended by the bot")));
        Assert.Equal("timeout", (await two.RecordAsync(callId))!.GetString("ChallengeResult"));
    }

    [Fact]
    public async Task ACallerWhoLeavesMidPromptIsRecordedAndTheDeadlineThenDoesNothing()
    {
        await using var app = await TestApp.StartAsync([ChallengeRule(timeout: 5)]);
        var callId = Notify.NewCallId();
        await app.NotifyAsync(Ring(callId));
        await app.NotifyAsync(Established(callId));

        await app.NotifyAsync(Notify.Batch(Notify.TerminatedItem(callId, 200, 540000, "Call ended by the PSTN user")));
        await DeadlineRanAsync(app);

        Assert.Equal("POST answer POST subscribeToTone POST playPrompt", Paths(app.GraphRequestsFor(callId)));
        var record = await app.RecordAsync(callId);
        Assert.Equal(("callerLeft", 540000, "Call ended by the PSTN user."), (record!.GetString("ChallengeResult"), record.GetInt32("Subcode"), record.GetString("Meaning")));
    }

    [Fact]
    public async Task EstablishingAfterEstablishedAndEstablishedTwiceOnTwoInstancesAskForThePromptOnce()
    {
        await using var one = await TestApp.StartAsync([ChallengeRule()]);
        await using var two = await one.AnotherInstanceAsync();
        var callId = Notify.NewCallId();
        await one.NotifyAsync(Ring(callId));

        await Task.WhenAll(one.NotifyAsync(Established(callId)), two.NotifyAsync(Established(callId)), one.NotifyAsync(Established(callId)));
        await two.NotifyAsync(Notify.Batch(Notify.UpdatedItem(callId, "establishing")));

        Assert.Equal("POST answer POST subscribeToTone POST playPrompt", Paths(one.GraphRequestsFor(callId)));
    }

    [Fact]
    public async Task OneToneDeliveredTwiceAndToTwoInstancesTransfersOnce()
    {
        await using var one = await TestApp.StartAsync([ChallengeRule()]);
        await using var two = await one.AnotherInstanceAsync();
        var callId = Notify.NewCallId();
        await one.NotifyAsync(Ring(callId));
        await two.NotifyAsync(Established(callId));

        var tone = Key(callId, "tone5", 1);
        var answers = await Task.WhenAll(one.NotifyAsync(tone), two.NotifyAsync(tone), one.NotifyAsync(tone), two.NotifyAsync(tone));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        Assert.Equal("POST answer POST subscribeToTone POST playPrompt POST cancelMediaProcessing POST transfer", Paths(one.GraphRequestsFor(callId)));
        Assert.Equal(["duplicate", "duplicate", "duplicate", "redirected"], (await Task.WhenAll(answers.Select(Outcome))).Order());
        Assert.Equal("passed", (await one.RecordAsync(callId))!.GetString("ChallengeResult"));
    }

    [Fact]
    public async Task ATransferThatComesBackFailingIsHungUpOnceRatherThanLeftInSilence()
    {
        await using var app = await TestApp.StartAsync([ChallengeRule()]);
        var callId = Notify.NewCallId();
        await app.NotifyAsync(Ring(callId));
        await app.NotifyAsync(Established(callId));
        await app.NotifyAsync(Key(callId, "tone5", 1));

        await app.NotifyAsync(Notify.Batch(Notify.UpdatedItem(callId, "transferring")));
        var failed = Notify.Batch(Notify.TransferFailedItem(callId));
        Assert.Equal("hungUp", await Outcome(await app.NotifyAsync(failed)));
        Assert.Equal("duplicate", await Outcome(await app.NotifyAsync(failed)));

        Assert.Equal("POST answer POST subscribeToTone POST playPrompt POST cancelMediaProcessing POST transfer DELETE " + callId, Paths(app.GraphRequestsFor(callId)));
        var record = await app.RecordAsync(callId);
        Assert.Equal(("transferFailed", 202, 204), (record!.GetString("ChallengeResult"), record.GetInt32("TransferStatus"), record.GetInt32("HangUpStatus")));
    }

    [Fact]
    public async Task ATransferGraphRefusesIsHungUpAtOnce()
    {
        await using var app = await TestApp.StartAsync([ChallengeRule()]);
        var callId = Notify.NewCallId();
        await app.NotifyAsync(Ring(callId));
        await app.NotifyAsync(Established(callId));
        app.Graph.Answer = r => r.Path.EndsWith("/transfer", StringComparison.Ordinal) ? new GraphFault(400) : null;

        Assert.Equal("hungUp", await Outcome(await app.NotifyAsync(Key(callId, "tone5", 1))));

        Assert.Equal("POST answer POST subscribeToTone POST playPrompt POST cancelMediaProcessing POST transfer DELETE " + callId, Paths(app.GraphRequestsFor(callId)));
        var record = await app.RecordAsync(callId);
        Assert.Equal(("transferFailed", 400, 204), (record!.GetString("ChallengeResult"), record.GetInt32("TransferStatus"), record.GetInt32("HangUpStatus")));
    }

    [Fact]
    public async Task ACallerWhoPassedIsRedirectedAtTheirNextRingWithoutBeingAnswered()
    {
        await using var app = await TestApp.StartAsync([ChallengeRule(remember: "30d")]);
        var first = Notify.NewCallId();
        await app.NotifyAsync(Ring(first));
        await app.NotifyAsync(Established(first));
        await app.NotifyAsync(Key(first, "tone5", 1));
        var pass = Assert.Single(Passes(app));
        Assert.Equal(("phone:+14255550123", "screen", first), (pass.PartitionKey, pass.RowKey, pass.GetString("CallId")));
        Assert.Equal(TimeSpan.FromDays(30), pass.GetDateTimeOffset("Until") - pass.GetDateTimeOffset("PassedAt"));

        var second = Notify.NewCallId();
        var rang = await app.NotifyAsync(Ring(second, "+1 (425) 555-0123"));

        Assert.Equal("redirected", await Outcome(rang));
        var redirect = Assert.Single(app.GraphRequestsFor(second));
        Assert.Equal($"/v1.0/communications/calls/{second}/redirect", redirect.Path);
        Assert.Equal(
            $$$"""{"callbackUri":"{{{TestApp.CallbackUri}}}","targets":[{"identity":{"@odata.type":"#microsoft.graph.identitySet","user":{"id":"{{{Adele}}}","@odata.type":"#microsoft.graph.identity"}},"@odata.type":"#microsoft.graph.invitationParticipantInfo"}]}""",
            redirect.Body);
        var record = await app.RecordAsync(second);
        Assert.Equal(("Challenge", "remembered", 202), (record!.GetString("Action"), record.GetString("ChallengeResult"), record.GetInt32("GraphStatus")));
        Assert.Equal(pass.GetDateTimeOffset("PassedAt"), record.GetDateTimeOffset("PassedAt"));
    }

    [Fact]
    public async Task RetentionDeletesThePassesWhoseRememberEndedAndTheToolForgetsACaller()
    {
        await using var app = await TestApp.StartAsync([ChallengeRule(remember: "1h")]);
        foreach (var (number, sequence) in new[] { ("+14255550123", 1), ("+14255550124", 1) })
        {
            var callId = Notify.NewCallId();
            await app.NotifyAsync(Ring(callId, number));
            await app.NotifyAsync(Established(callId));
            await app.NotifyAsync(Key(callId, "tone5", sequence));
        }
        Assert.Equal(2, Passes(app).Count);

        // An hour and a minute later, by the clock retention runs on: both passes ended.
        var later = new SettableClock(DateTimeOffset.UtcNow.AddMinutes(61));
        await using (var services = app.InProcess(later))
        {
            var report = await services.GetRequiredService<CallFunctions.Records.RecordRetention>().RunOnceAsync(CancellationToken.None);
            Assert.Equal(2, report.Passes);
        }
        Assert.Empty(Passes(app));

        // A caller who passed again is forgotten at once by the operator's tool.
        var again = Notify.NewCallId();
        await app.NotifyAsync(Ring(again));
        await app.NotifyAsync(Established(again));
        await app.NotifyAsync(Key(again, "tone5", 1));
        var forget = await app.RunCommandAsync("challenges", "forget", "+1 425-555-0123");
        Assert.True(forget.Code == 0, forget.ToString());
        Assert.Contains("Forgot 1 pass(es) of caller phone:+14255550123: their next ring is challenged.", forget.Output, StringComparison.Ordinal);
        Assert.Empty(Passes(app));
        Assert.Equal("POST answer", Paths(app.GraphRequestsFor(await RingAgainAsync(app))));
    }

    private static async Task<string> RingAgainAsync(TestApp app)
    {
        var callId = Notify.NewCallId();
        await app.NotifyAsync(Ring(callId));
        return callId;
    }

    [Fact]
    public async Task AnAnonymousCallerWhoPassesIsNeverRemembered()
    {
        await using var app = await TestApp.StartAsync([ChallengeRule(remember: "30d", caller: "anonymous")]);
        var first = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(first, Notify.Phone("anonymous")));
        await app.NotifyAsync(Established(first));
        await app.NotifyAsync(Key(first, "tone5", 1));
        Assert.Equal("passed", (await app.RecordAsync(first))!.GetString("ChallengeResult"));

        var second = Notify.NewCallId();
        Assert.Equal("challenged", await Outcome(await app.NotifyAsync(Notify.Incoming(second, Notify.Phone("anonymous")))));

        Assert.Equal("POST answer", Paths(app.GraphRequestsFor(second)));
        Assert.Empty(Passes(app));
    }

    [Fact]
    public async Task A429OnTheAnswerIsRetriedWithinTheRingsDeadline()
    {
        await using var app = await TestApp.StartAsync([ChallengeRule()]);
        var callId = Notify.NewCallId();
        app.Graph.Enqueue(new GraphFault(429, RetryAfter: "1"));

        Assert.Equal("challenged", await Outcome(await app.NotifyAsync(Ring(callId))));

        var answers = app.GraphRequestsFor(callId);
        Assert.Equal("POST answer POST answer", Paths(answers));
        Assert.Equal([429, 202], answers.Select(a => a.Status));
        Assert.InRange(answers[1].At - answers[0].At, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(13));
        var record = await app.RecordAsync(callId);
        Assert.Equal((202, 2), (record!.GetInt32("GraphStatus"), record.GetInt32("GraphAttempts")));
    }

    [Fact]
    public async Task A403OnTheAnswerIsRecordedTheCallRingsOnAndTheLogNamesThePermission()
    {
        await using var app = await TestApp.StartAsync([ChallengeRule()]);
        var callId = Notify.NewCallId();
        app.Graph.Enqueue(new GraphFault(403));

        await app.NotifyAsync(Ring(callId));

        Assert.Equal("POST answer", Paths(app.GraphRequestsFor(callId)));
        var record = await app.RecordAsync(callId);
        Assert.Equal(("notAnswered", 403), (record!.GetString("ChallengeResult"), record.GetInt32("GraphStatus")));
        var denied = Assert.Single(await app.Logs.MatchingAsync(l => l.EventId == 2003));
        Assert.Contains("Calls.JoinGroupCall.All", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithRepeatACallersSecondRingWithinFiveMinutesIsChallenged()
    {
        await using var app = await TestApp.StartAsync([ChallengeRule().With("Repeat", "2/5m")]);
        var (first, second) = (Notify.NewCallId(), Notify.NewCallId());

        Assert.Equal("allowed", await Outcome(await app.NotifyAsync(Ring(first))));
        Assert.Equal("challenged", await Outcome(await app.NotifyAsync(Ring(second))));

        Assert.Empty(app.GraphRequestsFor(first));
        Assert.Equal("POST answer", Paths(app.GraphRequestsFor(second)));
    }

    [Fact]
    public async Task AGroupCallInvitationSkipsChallengeRules()
    {
        await using var app = await TestApp.StartAsync([ChallengeRule(caller: "+1425*")]);
        var callId = Notify.NewCallId();

        var rang = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123"), group: true));

        Assert.Equal("allowed", await Outcome(rang));
        Assert.Empty(app.GraphRequestsFor(callId));
    }

    /// <summary>
    /// Table Storage applies a write of the flow and loses its answer; the SDK sends it again. Each Graph request of the
    /// flow still goes once, and the record says what happened.
    /// </summary>
    [Theory]
    [InlineData("claim-challenge", false)]
    [InlineData("claim-challenge-prompt", false)]
    [InlineData("claim-challenge-verdict", false)]
    [InlineData("claim-hangup", false)]
    [InlineData("call", false)]
    [InlineData("claim-challenge-verdict", true)]
    [InlineData("passes", true)]
    public async Task ALostStorageAnswerOnAWriteOfTheFlowSendsEachGraphRequestOnce(string row, bool pass)
    {
        await using var app = await TestApp.StartAsync([ChallengeRule(remember: "1d")], storageFaults: true);
        var callId = Notify.NewCallId();
        var lost = app.StorageFaults!.Inject(
            r => r.IsWrite && (row == "passes" ? r.Table.EndsWith("Passes", StringComparison.Ordinal) : r.PartitionKey == callId && r.RowKey == row),
            StorageFault.LoseAnswer);

        await app.NotifyAsync(Ring(callId));
        await app.NotifyAsync(Established(callId));
        await app.NotifyAsync(Key(callId, pass ? "tone5" : "tone9", 1));

        Assert.Equal(1, lost.Hits);
        Assert.Equal(
            "POST answer POST subscribeToTone POST playPrompt " + (pass ? "POST cancelMediaProcessing POST transfer" : "DELETE " + callId),
            Paths(app.GraphRequestsFor(callId)));
        var record = await app.WaitForRecordAsync(callId, r => r.GetString("ChallengeResult") is not null);
        Assert.Equal((pass ? "passed" : "failed", "Challenge", 202), (record.GetString("ChallengeResult"), record.GetString("Action"), record.GetInt32("GraphStatus")));
        if (pass) Assert.Single(Passes(app));
    }
}
