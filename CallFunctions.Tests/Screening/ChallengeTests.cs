using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

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
}
