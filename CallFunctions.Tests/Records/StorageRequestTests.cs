using Azure.Data.Tables;

namespace CallFunctions.Tests.Records;

/// <summary>
/// What one call costs Table Storage, counted by the storage stand-in between the app and Azurite: a rejected call
/// three requests (claim insert, record and index entry), its termination two on the instance that filed its ring.
/// </summary>
public sealed class StorageRequestTests
{
    private static readonly TableEntity BlockRule = Rows.Rule("block", 1, "Reject", caller: "+1425*", reason: "Busy");

    /// <summary>Pinned clock: ring and termination fall in the same hour whatever the hour of the run.</summary>
    private static readonly DateTimeOffset Ten = new(2026, 3, 10, 10, 30, 0, TimeSpan.Zero);

    private static List<string> Of(TestApp app, string callId) =>
        [.. app.StorageFaults!.Requests
            .Where(r => r.PartitionKey == callId || r.RowKey == callId)
            .Select(r => $"{r.Method} {(r.Table.StartsWith(app.Outcomes.Name, StringComparison.Ordinal) && r.Table != app.Outcomes.Name ? "index" : r.Table == app.Outcomes.Name ? "record" : r.Table)} {r.RowKey}")];

    private static async Task<TableEntity> IndexEntryAsync(TestApp app, string callId)
    {
        var day = new TableClient(app.Storage.ConnectionString, app.Outcomes.Name + "20260310");
        return (await day.GetEntityAsync<TableEntity>("2026031010", callId)).Value;
    }

    /// <summary>A first call makes the day's index table, which a call of a running instance finds made.</summary>
    private static async Task WarmAsync(TestApp app)
    {
        var first = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(first, Notify.Phone("+14255550123")));
        await app.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(first, 0, 5002, "ended")));
    }

    [Fact]
    public async Task ARejectedCallCostsThreeRequestsAndItsTerminationTwo()
    {
        await using var app = await TestApp.StartAsync([BlockRule], now: Ten, storageFaults: true);
        await WarmAsync(app);
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));
        var ring = Of(app, callId);
        await app.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(callId, 0, 5002, "ended")));
        await app.WaitForRecordAsync(callId, r => r.ContainsKey("TerminatedAt"));

        Assert.Equal(["PATCH index " + callId, "PATCH record call", "POST record claim-reject"], ring.Order());
        var termination = Of(app, callId).Skip(ring.Count).ToList();
        Assert.Equal(["PATCH index " + callId, "PATCH record call"], termination.Order());
        // The period's entry holds the ring and its end, as a read of the record would have filed it.
        var entry = await IndexEntryAsync(app, callId);
        Assert.Equal(("block", "Reject", 5002), (entry.GetString("Rule"), entry.GetString("Action"), entry.GetInt32("Subcode")));
        Assert.Equal("phone:+14255550123", entry.GetString("Caller"));
    }

    [Fact]
    public async Task ATerminationOnAnotherInstanceReadsTheRecordBackToFileItsEntry()
    {
        await using var app = await TestApp.StartAsync([BlockRule], now: Ten, storageFaults: true);
        await using var other = await app.AnotherInstanceAsync(now: Ten);
        await WarmAsync(app);
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));
        var ring = Of(app, callId).Count;
        await other.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(callId, 0, 5002, "ended")));
        await app.WaitForRecordAsync(callId, r => r.ContainsKey("TerminatedAt"));

        Assert.Equal(["GET record call", "PATCH index " + callId, "PATCH record call"], Of(app, callId).Skip(ring).Order());
        var entry = await IndexEntryAsync(app, callId);
        Assert.Equal(("block", "Reject", 5002), (entry.GetString("Rule"), entry.GetString("Action"), entry.GetInt32("Subcode")));
    }

    /// <summary>
    /// A challenged call, ring to transfer to its end, step by step: what the README and docs/how-it-works.md give as
    /// its cost against a rejected call's.
    /// </summary>
    [Fact]
    public async Task AChallengedCallCostsElevenWritesAndThreeQueriesFromRingToItsEnd()
    {
        var rule = Rows.Rule("screen", 1, "Challenge", caller: "+1425*").With("Target", "+14255550100");
        await using var app = await TestApp.StartAsync([rule], now: Ten, storageFaults: true);
        await WarmAsync(app);
        var callId = Notify.NewCallId();

        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));
        var ring = Of(app, callId).Order().ToList();
        await app.NotifyAsync(Notify.Batch(Notify.UpdatedItem(callId, "established")));
        await app.NotifyAsync(Notify.Batch(Notify.ToneItem(callId, "tone1", 1)));
        await app.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(callId, 0, 7015, "transferred")));
        await app.WaitForRecordAsync(callId, r => r.ContainsKey("TerminatedAt") && r.GetString("ChallengeResult") == "passed");

        // The ring costs what a reject's does.
        Assert.Equal(["PATCH index " + callId, "PATCH record call", "POST record claim-challenge"], ring);
        // Then established, the key and the end: each merges the record and its index entry (same hour, this instance),
        // the first two claim their step, and each reads the challenge's rows with one query of the call's partition.
        Assert.Equal(
            [
                "PATCH index " + callId, "PATCH index " + callId, "PATCH index " + callId, "PATCH index " + callId,
                "PATCH record call", "PATCH record call", "PATCH record call", "PATCH record call",
                "POST record claim-challenge", "POST record claim-challenge-prompt", "POST record claim-challenge-verdict",
            ],
            Of(app, callId).Order());
        var queries = app.StorageFaults!.Requests
            .Where(r => r.PartitionKey is null && r.Query.Contains($"PartitionKey eq '{callId}'", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, queries.Count);
        Assert.All(queries, q => Assert.Contains($"PartitionKey eq '{callId}' and RowKey ge 'claim-challenge'", q.Query, StringComparison.Ordinal));
    }
}
