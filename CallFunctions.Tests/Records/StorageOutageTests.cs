using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Records;

/// <summary>Each test stops and restarts its own Azurite, so the other tests' storage stays up.</summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task WhileStorageIsDownDecisionsGoOnAndEverythingAcceptedIsWrittenWhenItReturns()
    {
        await using var storage = await Azurite.StartAsync();
        await using var app = await TestApp.StartAsync(
            [Rows.Rule("block", 1, "Reject", caller: "+1425*", reason: "Busy")], storage: storage);
        await app.NotifyAsync(Notify.Sample("terminated-5001.json", Notify.NewCallId()));
        var incoming = Notify.NewCallId();
        var ended = Notify.NewCallId();

        storage.Stop();
        var reject = await app.NotifyAsync(Notify.Incoming(incoming, Notify.Phone("+14255550123")));
        var termination = await app.NotifyAsync(Notify.Sample("terminated-5002-real.json", ended));

        Assert.Equal(HttpStatusCode.Accepted, reject.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, termination.StatusCode);
        Assert.Contains("\"reason\":\"busy\"", Assert.Single(app.GraphRequestsFor(incoming)).Body, StringComparison.Ordinal);
        // The worker's line reaches the test through the host, which may relay it after the answer.
        bool Held(LogLine l) => l.EventId == 4002 && l.Message.Contains(ended, StringComparison.Ordinal);
        Assert.NotEmpty(await app.Logs.MatchingAsync(Held));

        await storage.RestartAsync();

        var rejected = await app.WaitForRecordAsync(incoming, r => r.GetString("Action") is not null);
        Assert.Equal("block", rejected.GetString("Rule"));
        Assert.Equal(202, rejected.GetInt32("GraphStatus"));
        var recorded = await app.WaitForRecordAsync(ended, r => r.GetInt32("Subcode") is not null);
        Assert.Equal(5002, recorded.GetInt32("Subcode"));
        Assert.Equal("The conversation has ended. DiagCode: 0#5002.@", recorded.GetString("Message"));
    }

    [Fact]
    public async Task RecordsHeldDuringAnOutageAreWrittenOldestFirstAndTheirFilesDeletedOnceWritten()
    {
        await using var storage = await Azurite.StartAsync();
        var spool = Path.Combine(Path.GetTempPath(), "callfunctions-tests", "spool-" + Guid.NewGuid().ToString("N"));
        await using var app = await TestApp.StartAsync(
            settings: new Dictionary<string, string?> { ["Outcomes:SpoolPath"] = spool }, storage: storage);
        await app.NotifyAsync(Notify.Sample("terminated-5001.json", Notify.NewCallId()));
        var callId = Notify.NewCallId();

        storage.Stop();
        // Two deliveries of one call's end, each held in a file: written in the order they came, the later one is kept.
        await app.NotifyAsync(Notify.Batch(Notify.TerminatedItem(callId, JsonValue.Create(200), JsonValue.Create(5001), "first")));
        await app.NotifyAsync(Notify.Batch(Notify.TerminatedItem(callId, JsonValue.Create(200), JsonValue.Create(5002), "second")));
        Assert.Equal(2, HeldFiles(spool));

        await storage.RestartAsync();
        for (var poll = 0; poll < 300 && HeldFiles(spool) > 0; poll++) await Task.Delay(100);

        Assert.Equal(0, HeldFiles(spool));
        var record = await app.RecordAsync(callId);
        Assert.Equal("second", record!.GetString("Message"));
        Assert.Equal(5002, record.GetInt32("Subcode"));
    }

    private static int HeldFiles(string spool) => Directory.Exists(spool) ? Directory.GetFiles(spool, "*.json").Length : 0;

    [Fact]
    public async Task TheWebhookAnswers503WithRetryAfterOnlyWhenARecordCannotBeHeldAnywhere()
    {
        await using var storage = await Azurite.StartAsync();
        var blocked = Path.Combine(Path.GetTempPath(), "callfunctions-tests", "not-a-folder-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(blocked, "a file where the spool folder should be");
        await using var app = await TestApp.StartAsync(
            settings: new Dictionary<string, string?> { ["Outcomes:SpoolPath"] = blocked }, storage: storage);
        await app.NotifyAsync(Notify.Sample("terminated-5001.json", Notify.NewCallId()));

        storage.Stop();
        var response = await app.NotifyAsync(Notify.Sample("terminated-5001.json", Notify.NewCallId()));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task RulesKeepWorkingFromTheLastGoodReadWhileStorageIsDown()
    {
        await using var storage = await Azurite.StartAsync();
        await using var app = await TestApp.StartAsync(
            [Rows.Rule("block", 1, "Reject", caller: "+1425*")], new Dictionary<string, string?> { ["Rules:RefreshSeconds"] = "0" }, storage: storage);
        await app.NotifyAsync(Notify.Incoming(Notify.NewCallId(), Notify.Phone("+14255550123")));

        storage.Stop();
        var callId = Notify.NewCallId();
        var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(app.GraphRequestsFor(callId));
        Assert.NotEmpty(await app.Logs.MatchingAsync(l => l.EventId == 3003));
    }
}
