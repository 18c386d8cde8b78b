using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Screening;

/// <summary>
/// Table Storage losing, refusing or delaying its answers (the storage stand-in between the app and Azurite):
/// a call a rule blocks still gets exactly one reject or hang-up, and a real duplicate still none.
/// </summary>
public sealed class StorageFaultTests
{
    private static readonly Azure.Data.Tables.TableEntity BlockRule = Rows.Rule("block", 1, "Reject", caller: "+1425*", reason: "Busy");
    private static readonly Azure.Data.Tables.TableEntity DropRule = Rows.Rule("drop-premium", 5, "HangUp", caller: "+1900*");

    /// <summary>
    /// Calls__ResponseSeconds as the test apps run it (4 s), measured by the app from the request's arrival, plus the
    /// host's relay of the answer: within the 5 s Graph allows.
    /// </summary>
    private static readonly TimeSpan ResponseTime = TimeSpan.FromSeconds(4 + 1);

    private static Func<StorageRequest, bool> ClaimInsert(string callId, string row) =>
        r => r.Method == "POST" && r.PartitionKey == callId && r.RowKey == row;

    private static string Outcome(JsonNode answer) => answer["items"]![0]!["outcome"]!.GetValue<string>();

    private static async Task<(HttpResponseMessage Response, JsonNode Body, TimeSpan Took)> TimedAsync(Task<HttpResponseMessage> sending)
    {
        var watch = Stopwatch.StartNew();
        var response = await sending;
        var took = watch.Elapsed;
        return (response, JsonNode.Parse(await response.Content.ReadAsStringAsync())!, took);
    }

    [Fact]
    public async Task ARejectWhoseClaimWasStoredButItsAnswerLostIsSentOnce()
    {
        await using var app = await TestApp.StartAsync([BlockRule], storageFaults: true);
        var callId = Notify.NewCallId();
        var lost = app.StorageFaults!.Inject(ClaimInsert(callId, "claim-reject"), StorageFault.LoseAnswer);

        var (response, body, took) = await TimedAsync(app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123"))));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("rejected", Outcome(body));
        Assert.True(took < ResponseTime, $"the webhook answered after {took}");
        var request = Assert.Single(app.GraphRequestsFor(callId));
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/v1.0/communications/calls/{callId}/reject", request.Path);
        Assert.Equal($$"""{"callbackUri":"{{TestApp.CallbackUri}}","reason":"busy"}""", request.Body);
        var record = await app.RecordAsync(callId);
        Assert.Equal("block", record!.GetString("Rule"));
        Assert.Equal("Reject", record.GetString("Action"));
        Assert.Equal(202, record.GetInt32("GraphStatus"));
        // The fault did happen: the insert reached storage twice, the second meeting the first's row.
        Assert.Equal(1, lost.Hits);
        Assert.Equal([0, 409], app.StorageFaults.Requests.Where(ClaimInsert(callId, "claim-reject")).Select(r => r.Status));
    }

    [Fact]
    public async Task AHangUpWhoseClaimWasStoredButItsAnswerLostIsSentOnce()
    {
        await using var app = await TestApp.StartAsync([DropRule], storageFaults: true);
        var callId = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+19005550100")));
        var lost = app.StorageFaults!.Inject(ClaimInsert(callId, "claim-hangup"), StorageFault.LoseAnswer);

        var (response, body, took) = await TimedAsync(app.NotifyAsync(Notify.Sample("established.json", callId)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("hungUp", Outcome(body));
        Assert.True(took < ResponseTime, $"the webhook answered after {took}");
        var request = Assert.Single(app.GraphRequestsFor(callId));
        Assert.Equal("DELETE", request.Method);
        Assert.Equal($"/v1.0/communications/calls/{callId}", request.Path);
        var record = await app.RecordAsync(callId);
        Assert.Equal("drop-premium", record!.GetString("Rule"));
        Assert.Equal("HangUp", record.GetString("Action"));
        Assert.Equal(204, record.GetInt32("GraphStatus"));
        Assert.Equal("phone:+19005550100", record.GetString("Caller"));
        Assert.Equal(1, lost.Hits);
    }

    [Fact]
    public async Task ADuplicateOnTwoInstancesAtOnceWithALostClaimAnswerIsRejectedExactlyOnce()
    {
        await using var one = await TestApp.StartAsync([BlockRule], storageFaults: true);
        await using var two = await one.AnotherInstanceAsync();
        var calls = Enumerable.Range(0, 5).Select(_ => Notify.NewCallId()).ToList();
        // Whichever instance inserts first has its answer lost, and retries while the other meets its row.
        var lost = calls.Select(id => one.StorageFaults!.Inject(ClaimInsert(id, "claim-reject"), StorageFault.LoseAnswer)).ToList();

        var answers = await Task.WhenAll(calls.SelectMany(id =>
        {
            var body = Notify.Incoming(id, Notify.Phone("+14255550123"));
            return new[] { TimedAsync(one.NotifyAsync(body)), TimedAsync(two.NotifyAsync(body)) };
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.Response.StatusCode));
        Assert.All(answers, a => Assert.True(a.Took < ResponseTime, $"the webhook answered after {a.Took}"));
        foreach (var (id, pair) in calls.Zip(answers.Chunk(2)))
        {
            Assert.Equal("POST", Assert.Single(one.GraphRequestsFor(id)).Method);
            Assert.Equal(["duplicate", "rejected"], pair.Select(a => Outcome(a.Body)).Order(StringComparer.Ordinal));
            Assert.Equal(202, (await one.RecordAsync(id))!.GetInt32("GraphStatus"));
        }
        Assert.All(lost, l => Assert.Equal(1, l.Hits));
    }

    [Fact]
    public async Task ARealDuplicateIsNotRejectedAgainEvenWhenItsOwnClaimAnswerIsLost()
    {
        await using var app = await TestApp.StartAsync([BlockRule], storageFaults: true);
        var callId = Notify.NewCallId();
        var body = Notify.Incoming(callId, Notify.Phone("+14255550123"));
        await app.NotifyAsync(body);
        var lost = app.StorageFaults!.Inject(ClaimInsert(callId, "claim-reject"), StorageFault.LoseAnswer);

        var (response, answer, _) = await TimedAsync(app.NotifyAsync(body));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("duplicate", Outcome(answer));
        Assert.Single(app.GraphRequestsFor(callId));
        Assert.Equal(1, lost.Hits);
        Assert.NotEmpty(await app.Logs.MatchingAsync(l => l.EventId == 4006 && l.Message.Contains(callId, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AClaimWhoseEveryAttemptHasItsConnectionResetStillRejectsOnce()
    {
        // Storage unavailable for the claim: the policy acts without it (a missed deadline is worse than a second reject).
        await using var app = await TestApp.StartAsync([BlockRule], storageFaults: true);
        var callId = Notify.NewCallId();
        var reset = app.StorageFaults!.Inject(ClaimInsert(callId, "claim-reject"), StorageFault.Reset, times: 3);

        var (response, body, took) = await TimedAsync(app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123"))));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("rejected", Outcome(body));
        Assert.True(took < ResponseTime, $"the webhook answered after {took}");
        Assert.Equal("POST", Assert.Single(app.GraphRequestsFor(callId)).Method);
        Assert.Equal(202, (await app.RecordAsync(callId))!.GetInt32("GraphStatus"));
        Assert.Equal(3, reset.Hits);
    }

    [Fact]
    public async Task AClaimWhoseFirstConnectionIsResetIsTakenOnTheRetryAndRejectsOnce()
    {
        await using var app = await TestApp.StartAsync([BlockRule], storageFaults: true);
        var callId = Notify.NewCallId();
        var reset = app.StorageFaults!.Inject(ClaimInsert(callId, "claim-reject"), StorageFault.Reset);

        var (response, body, _) = await TimedAsync(app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123"))));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("rejected", Outcome(body));
        Assert.Single(app.GraphRequestsFor(callId));
        Assert.Equal(1, reset.Hits);
        // The retry took the claim: a later delivery is a duplicate.
        Assert.Equal([0, 204], app.StorageFaults.Requests.Where(ClaimInsert(callId, "claim-reject")).Select(r => r.Status));
        var again = JsonNode.Parse(await (await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")))).Content.ReadAsStringAsync())!;
        Assert.Equal("duplicate", Outcome(again));
        Assert.Single(app.GraphRequestsFor(callId));
    }

    [Fact]
    public async Task ThreeSecondDelaysOnEveryStorageRequestOfACallStillRejectItOnceAndAnswerInTime()
    {
        await using var app = await TestApp.StartAsync([BlockRule], storageFaults: true);
        var callId = Notify.NewCallId();
        var slow = app.StorageFaults!.Inject(r => r.Carries(callId), new StorageFault(StorageFaultKind.DelayRequest, Delay: TimeSpan.FromSeconds(3)), times: 100);

        var (response, _, took) = await TimedAsync(app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123"))));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(took < ResponseTime, $"the webhook answered after {took}");
        var record = await app.WaitForRecordAsync(callId, r => r.GetInt32("GraphStatus") is not null, TimeSpan.FromSeconds(30));
        Assert.Equal("block", record.GetString("Rule"));
        Assert.Equal(202, record.GetInt32("GraphStatus"));
        Assert.Equal("POST", Assert.Single(app.GraphRequestsFor(callId)).Method);
        Assert.True(slow.Hits >= 2, "the claim and the record were both slow");
    }

    [Fact]
    public async Task ABurstOfCallsUsesAtMostTheBoundOfConnectionsToStorageAndEveryCallIsStillRejected()
    {
        await using var app = await TestApp.StartAsync([BlockRule], storageFaults: true);
        var calls = Enumerable.Range(0, CallFunctions.Platform.Performance.StorageTransport.MaxConnections + 36).Select(_ => Notify.NewCallId()).ToList();
        var ids = calls.ToHashSet(StringComparer.Ordinal);
        var release = new TaskCompletionSource();
        // Every claim is held at the stand-in: each one holds its connection until the test lets them go.
        var held = app.StorageFaults!.Inject(r => r.Method == "POST" && r.RowKey == "claim-reject" && ids.Contains(r.PartitionKey ?? ""),
            new StorageFault(StorageFaultKind.DelayRequest, Until: release.Task), times: calls.Count);

        var sending = calls.Select(id => app.NotifyAsync(Notify.Incoming(id, Notify.Phone("+14255550123")))).ToList();
        for (var poll = 0; poll < 300 && held.Hits < CallFunctions.Platform.Performance.StorageTransport.MaxConnections; poll++) await Task.Delay(50);
        // A moment more for any claim beyond the bound to arrive: none does while the others hold their connections.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var heldAtOnce = held.Hits;
        release.SetResult();
        await Task.WhenAll(sending);

        Assert.Equal(CallFunctions.Platform.Performance.StorageTransport.MaxConnections, heldAtOnce);
        foreach (var id in calls)
            Assert.Equal($"/v1.0/communications/calls/{id}/reject", Assert.Single(app.GraphRequestsFor(id)).Path);
    }

    [Fact]
    public async Task ABurstGivesItsMemoryBackOnceItsLastCallIsDoneAndSteadyTrafficDoesNot()
    {
        await using var app = await TestApp.StartAsync([BlockRule], storageFaults: true);
        var few = Enumerable.Range(0, 20).Select(_ => Notify.NewCallId()).ToList();
        await Task.WhenAll(few.Select(id => app.NotifyAsync(Notify.Incoming(id, Notify.Phone("+14255550123")))));
        var burst = Enumerable.Range(0, CallFunctions.Platform.Performance.BurstCollection.BurstSize + 10).Select(_ => Notify.NewCallId()).ToList();
        var ids = burst.ToHashSet(StringComparer.Ordinal);
        var release = new TaskCompletionSource();
        // The claims wait at the stand-in, so every call of the burst is in flight at once before any is done.
        app.StorageFaults!.Inject(r => r.Method == "POST" && r.RowKey == "claim-reject" && ids.Contains(r.PartitionKey ?? ""),
            new StorageFault(StorageFaultKind.DelayRequest, Until: release.Task), times: burst.Count);

        var sending = burst.Select(id => app.NotifyAsync(Notify.Incoming(id, Notify.Phone("+14255550123")))).ToList();
        var inFlight = 0;
        for (var poll = 0; poll < 300 && inFlight < burst.Count; poll++)
        {
            await Task.Delay(50);
            using var health = JsonDocument.Parse(await app.Anonymous.GetStringAsync("/api/health"));
            inFlight = health.RootElement.GetProperty("inFlight").GetInt32();
        }
        var releasedBefore = app.Logs.Lines.Where(l => l.EventId == 6003).ToList();
        release.SetResult();
        await Task.WhenAll(sending);

        Assert.Equal(burst.Count, inFlight);
        Assert.Empty(releasedBefore);
        var released = Assert.Single(await app.Logs.MatchingAsync(l => l.EventId == 6003));
        Assert.StartsWith("A burst of notifications is done: its memory given back", released.Message, StringComparison.Ordinal);
        foreach (var id in few.Concat(burst))
            Assert.Equal($"/v1.0/communications/calls/{id}/reject", Assert.Single(app.GraphRequestsFor(id)).Path);
    }

    [Fact]
    public async Task ACrowdsConnectionsFromTheHostEndWithItAndGraphsOwnConnectionIsNotClosed()
    {
        await using var app = await TestApp.StartAsync([BlockRule], storageFaults: true);
        const int kept = CallFunctions.Platform.Performance.CrowdedConnections.KeptConnections;
        var crowd = Enumerable.Range(0, kept + 40).Select(_ => Notify.NewCallId()).ToList();
        var ids = crowd.ToHashSet(StringComparer.Ordinal);
        var release = new TaskCompletionSource();
        // The claims wait at the stand-in: every call of the crowd is in flight at once, each on its own connection.
        app.StorageFaults!.Inject(r => r.Method == "POST" && r.RowKey == "claim-reject" && ids.Contains(r.PartitionKey ?? ""),
            new StorageFault(StorageFaultKind.DelayRequest, Until: release.Task), times: crowd.Count);
        await app.NotifyAsync(Notify.Incoming(Notify.NewCallId(), Notify.Phone("+14255550123")));
        var worker = Processes.Find(app.Host.ProcessId, "CallFunctions") ?? throw new InvalidOperationException("No worker under the host.");

        var sending = crowd.Select(id => app.NotifyAsync(Notify.Incoming(id, Notify.Phone("+14255550123")))).ToList();
        var during = 0;
        for (var poll = 0; poll < 300 && during < crowd.Count; poll++)
        {
            await Task.Delay(50);
            during = Math.Max(during, Processes.AcceptedConnections(worker));
        }
        // The answers go out within the response budget while the claims are still held, every call still in flight.
        var answers = await Task.WhenAll(sending);
        release.SetResult();
        var after = Processes.AcceptedConnections(worker);
        for (var poll = 0; poll < 100 && after > kept; poll++)
        {
            await Task.Delay(100);
            after = Processes.AcceptedConnections(worker);
        }

        Assert.True(during >= crowd.Count, $"{during} connections from the host while {crowd.Count} calls were in flight");
        // An answer given while more than `kept` calls were in flight closed its connection; the host keeps the rest.
        Assert.True(after <= kept, $"{after} connections from the host left after the crowd, more than {kept}");
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        // Connection: close is between the host and the worker: the host does not pass it on to Graph.
        Assert.All(answers, a => Assert.Null(a.Headers.ConnectionClose));
        for (var poll = 0; poll < 300 && crowd.Any(id => app.GraphRequestsFor(id).Count == 0); poll++) await Task.Delay(100);
        foreach (var id in crowd)
            Assert.Equal($"/v1.0/communications/calls/{id}/reject", Assert.Single(app.GraphRequestsFor(id)).Path);
    }

    [Fact]
    public async Task AnEstablishedCallIsHungUpOnTheCallerOfItsIncomingWhileTheIncomingsRecordIsStillOnItsWay()
    {
        await using var app = await TestApp.StartAsync([DropRule], storageFaults: true);
        var callId = Notify.NewCallId();
        var release = new TaskCompletionSource();
        // The incoming's writes (the record and its index entry carry the ring's time) wait until the test lets them go.
        var held = app.StorageFaults!.Inject(r => r.IsWrite && r.Carries(callId) && r.Body.Contains("ReceivedAt", StringComparison.Ordinal),
            new StorageFault(StorageFaultKind.DelayRequest, Until: release.Task), times: 2);

        var incoming = app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+19005550100")));
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        var established = app.NotifyAsync(Notify.Sample("established.json", callId));
        for (var poll = 0; poll < 300 && app.GraphRequestsFor(callId).Count == 0; poll++) await Task.Delay(50);
        release.SetResult();
        await Task.WhenAll(incoming, established);

        Assert.Equal(HttpStatusCode.Accepted, (await established).StatusCode);
        var request = Assert.Single(app.GraphRequestsFor(callId));
        Assert.Equal("DELETE", request.Method);
        Assert.Equal($"/v1.0/communications/calls/{callId}", request.Path);
        // The ring's decision (Allow) landed first, the hang-up after it: the record says what happened last.
        var record = await app.WaitForRecordAsync(callId, r => r.GetInt32("GraphStatus") is not null);
        Assert.Equal("HangUp", record.GetString("Action"));
        Assert.Equal("drop-premium", record.GetString("Rule"));
        Assert.Equal(204, record.GetInt32("GraphStatus"));
        Assert.Equal("phone:+19005550100", record.GetString("Caller"));
        Assert.NotNull(record.GetDateTimeOffset("ReceivedAt"));
        Assert.Equal(2, held.Hits);
    }

    [Fact]
    public async Task AnEstablishedCallIsHungUpOnTheCallerOfItsIncomingWhileTheIncomingIsStillBeingDecided()
    {
        // A Repeat rule in scope makes the incoming count the caller's rings in Table Storage before it decides: the
        // stand-in holds that request, so the incoming is still being decided when its established comes.
        var robots = Rows.Rule("robots", 5, "Reject", caller: "+1555*", reason: "Busy").With("Repeat", "3/10m");
        await using var app = await TestApp.StartAsync([DropRule, robots], storageFaults: true);
        var callId = Notify.NewCallId();
        var release = new TaskCompletionSource();
        var counting = app.StorageFaults!.Inject(r => r.IsWrite && r.Table.EndsWith("Rings", StringComparison.Ordinal) && r.Carries(callId),
            new StorageFault(StorageFaultKind.DelayRequest, Until: release.Task));

        var incoming = app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+19005550100")));
        await counting.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        var established = await app.NotifyAsync(Notify.Sample("established.json", callId));
        var hungUp = app.GraphRequestsFor(callId).ToList();
        release.SetResult();
        await incoming;

        Assert.Equal(HttpStatusCode.Accepted, established.StatusCode);
        // The hang-up went while the incoming's decision waited: it knew the caller the incoming carried.
        var request = Assert.Single(hungUp);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal($"/v1.0/communications/calls/{callId}", request.Path);
        Assert.Single(app.GraphRequestsFor(callId));
        var record = await app.WaitForRecordAsync(callId, r => r.GetInt32("GraphStatus") is not null);
        Assert.Equal("HangUp", record.GetString("Action"));
        Assert.Equal("drop-premium", record.GetString("Rule"));
        Assert.Equal("phone:+19005550100", record.GetString("Caller"));
    }
}
