using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Webhook;

public sealed class ShutdownTests
{
    [Fact]
    public async Task OnSigtermTheHostAndItsWorkerFinishWorkInFlightBeforeTheyExit()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("block", 1, "Reject", caller: "+1425*")],
            new Dictionary<string, string?> { ["Calls:ResponseSeconds"] = "0.5" }, ownHost: true);
        app.Graph.Enqueue(new GraphFault(202, Delay: TimeSpan.FromSeconds(2)));
        var callId = Notify.NewCallId();

        var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("pending", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]![0]!["outcome"]!.GetValue<string>());
        var exit = await app.StopAsync(TimeSpan.FromSeconds(30));

        Assert.Single(app.Graph.Requests);
        var record = await app.RecordAsync(callId);
        Assert.Equal(202, record!.GetInt32("GraphStatus"));
        Assert.Equal("block", record.GetString("Rule"));
        Assert.Equal(0, exit);
        // The worker's "waiting for 1 notification batch(es)" line is not asserted: the host stops relaying its worker's
        // output once it shuts down. The record says it: Graph's answer came 2 s after SIGTERM and was still written.
    }

    [Fact]
    public async Task OnSigtermARecordHeldOnDiskByWorkInFlightIsWrittenOnceMoreBeforeTheInstanceGoes()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("block", 1, "Reject", caller: "+1425*")],
            new Dictionary<string, string?> { ["Calls:ResponseSeconds"] = "0.5" }, ownHost: true, storageFaults: true);
        app.Graph.Enqueue(new GraphFault(202, Delay: TimeSpan.FromSeconds(2)));
        var callId = Notify.NewCallId();
        // After SIGTERM, Graph answers and the record meets 503 on each of the SDK's attempts: it is held on disk.
        var refused = app.StorageFaults!.Inject(r => r.IsWrite && r.PartitionKey == callId && r.RowKey == "call", StorageFault.Error(503), times: 3);

        var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));
        Assert.Equal("pending", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]![0]!["outcome"]!.GetValue<string>());
        var exit = await app.StopAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exit);
        Assert.Equal(3, refused.Hits);
        var record = await app.RecordAsync(callId);
        Assert.NotNull(record);
        Assert.Equal("block", record.GetString("Rule"));
        Assert.Equal(202, record.GetInt32("GraphStatus"));
    }
}
