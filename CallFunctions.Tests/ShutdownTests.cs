using System.Net;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests;

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

        Assert.Equal(0, exit);
        Assert.Contains(app.Logs.Lines, l => l.EventId == 6001 && l.Message.Contains("waiting for 1 notification batch(es) still in flight", StringComparison.Ordinal));
        Assert.Single(app.Graph.Requests);
        var record = await app.RecordAsync(callId);
        Assert.Equal(202, record!.GetInt32("GraphStatus"));
        Assert.Equal("block", record.GetString("Rule"));
    }
}
