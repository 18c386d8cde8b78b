using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace CallFunctions.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task OnSigtermTheHandlerFinishesWorkInFlightBeforeItExits()
    {
        var storage = await Azurite.SharedAsync();
        await using var graph = await GraphStandIn.StartAsync();
        graph.Enqueue(new GraphFault(202, Delay: TimeSpan.FromSeconds(2)));
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var service = new TableServiceClient(storage.ConnectionString);
        var rules = service.GetTableClient("Rules" + suffix);
        var outcomes = service.GetTableClient("Outcomes" + suffix);
        await rules.CreateIfNotExistsAsync();
        await rules.AddEntityAsync(Rows.Rule("block", 1, "Reject", caller: "+1425*"));
        await using var handler = await HandlerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage.ConnectionString,
            ["Graph__BaseUrl"] = graph.BaseUrl,
            // This test is about the process, not about who may call it: GraphTokenTests cover the token.
            ["Auth__Enabled"] = "false",
            ["Rules__Table"] = rules.Name,
            ["Outcomes__Table"] = outcomes.Name,
            ["Outcomes__SpoolPath"] = Path.Combine(Path.GetTempPath(), "callfunctions-tests", outcomes.Name),
            ["Calls__ResponseSeconds"] = "0.5",
        });
        using var client = new HttpClient { BaseAddress = handler.BaseAddress };
        var callId = Notify.NewCallId();

        var response = await client.PostAsync("/api/calls",
            new StringContent(Notify.Incoming(callId, Notify.Phone("+14255550123")), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("pending", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]![0]!["outcome"]!.GetValue<string>());
        var exit = await handler.TerminateAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, exit.Code);
        Assert.Contains("waiting for 1 notification batch(es) still in flight", exit.Output, StringComparison.Ordinal);
        Assert.Single(graph.Requests);
        var record = (await outcomes.GetEntityAsync<TableEntity>(callId, "call")).Value;
        Assert.Equal(202, record.GetInt32("GraphStatus"));
        Assert.Equal("block", record.GetString("Rule"));
        await rules.DeleteAsync();
        await outcomes.DeleteAsync();
    }
}
