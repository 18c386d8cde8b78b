using System.Net;

namespace CallFunctions.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task RejectsAPstnCallerMatchingAPrefixRule()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("block-800", 10, "Reject", caller: "+1800*", reason: "Busy")]);
        var callId = Notify.NewCallId();

        var response = await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+18005550100")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var request = Assert.Single(app.Graph.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/v1.0/communications/calls/{callId}/reject", request.Path);
        Assert.Equal("""{"callbackUri":"https://bot.contoso.com/api/calls/outcomes","reason":"busy"}""", request.Body);
    }
}
