using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace CallFunctions.Tests.Records;

/// <summary>
/// Table Storage losing or refusing its answers to a call's record writes (the storage stand-in between the app and
/// Azurite): each call still has one complete record, and the webhook still answers 202.
/// </summary>
public sealed class RecordStorageFaultTests
{
    private static Func<StorageRequest, bool> RecordWrite(string callId) =>
        r => r.IsWrite && r.PartitionKey == callId && r.RowKey == "call";

    private static async Task<List<TableEntity>> IndexEntriesAsync(TestApp app, string callId)
    {
        var entries = new List<TableEntity>();
        var service = new TableServiceClient(app.Storage.ConnectionString);
        await foreach (var table in service.QueryAsync(TableClient.CreateQueryFilter($"TableName ge {app.Outcomes.Name + "0"} and TableName lt {app.Outcomes.Name + ":"}")))
        await foreach (var entry in service.GetTableClient(table.Name).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {callId}")))
            entries.Add(entry);
        return entries;
    }

    [Fact]
    public async Task RecordAndIndexWritesWhoseAnswersWereLostLeaveOneCompleteRecord()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("vip", 1, "Allow", caller: "+1425*")], storageFaults: true);
        var callId = Notify.NewCallId();
        var lostRecord = app.StorageFaults!.Inject(RecordWrite(callId), StorageFault.LoseAnswer, times: 2);
        var lostIndex = app.StorageFaults.Inject(r => r.IsWrite && r.RowKey == callId && r.PartitionKey != callId, StorageFault.LoseAnswer, times: 2);

        var ring = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));
        var end = await app.NotifyAsync(Notify.Sample("terminated-5002-real.json", callId));

        Assert.Equal(HttpStatusCode.Accepted, ring.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, end.StatusCode);
        Assert.Equal("allowed", JsonNode.Parse(await ring.Content.ReadAsStringAsync())!["items"]![0]!["outcome"]!.GetValue<string>());
        var record = Assert.Single(await app.AllRecordsAsync());
        Assert.Equal(callId, record.PartitionKey);
        Assert.Equal("vip", record.GetString("Rule"));
        Assert.Equal("Allow", record.GetString("Action"));
        Assert.Equal("phone:+14255550123", record.GetString("Caller"));
        Assert.NotNull(record.GetDateTimeOffset("ReceivedAt"));
        Assert.Equal(5002, record.GetInt32("Subcode"));
        Assert.NotNull(record.GetDateTimeOffset("TerminatedAt"));
        // One index entry per hour the call's events fell in, each a whole copy of the record.
        var index = await IndexEntriesAsync(app, callId);
        Assert.NotEmpty(index);
        Assert.Equal(index.Count, index.Select(e => e.PartitionKey).Distinct().Count());
        Assert.All(index, e => Assert.Equal(("vip", 5002), (e.GetString("Rule"), e.GetInt32("Subcode"))));
        Assert.Equal((2, 2), (lostRecord.Hits, lostIndex.Hits));
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    public async Task ATerminationWhoseWriteMeetsAServerErrorOnEveryAttemptIsHeldAndRecordedOnce(int status)
    {
        await using var app = await TestApp.StartAsync(storageFaults: true);
        var callId = Notify.NewCallId();
        // The SDK's three attempts (Storage: MaxRetries 2) all meet the error; the next, from the spool, goes through.
        var errors = app.StorageFaults!.Inject(RecordWrite(callId), StorageFault.Error(status), times: 3);

        var response = await app.NotifyAsync(Notify.Sample("terminated-5002-real.json", callId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("recorded", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]![0]!["outcome"]!.GetValue<string>());
        var record = await app.WaitForRecordAsync(callId, r => r.GetInt32("Subcode") is not null);
        Assert.Single(await app.AllRecordsAsync());
        Assert.Equal(200, record.GetInt32("Code"));
        Assert.Equal(5002, record.GetInt32("Subcode"));
        Assert.Equal("The conversation has ended. DiagCode: 0#5002.@", record.GetString("Message"));
        Assert.NotNull(record.GetDateTimeOffset("TerminatedAt"));
        Assert.Equal(3, errors.Hits);
        Assert.NotEmpty(await app.Logs.MatchingAsync(l => l.EventId == 4002 && l.Message.Contains(callId, StringComparison.Ordinal)));
    }
}
