namespace CallFunctions.Tests.Operators.Outcomes;

public sealed class OutcomesListTests
{
    [Fact]
    public async Task OutcomesListPrintsOneLinePerCallAndNotItsClaims()
    {
        await using var app = await TestApp.StartAsync([Rows.Rule("block", 1, "Reject", caller: "+1425*", reason: "Busy")]);
        var callId = Notify.NewCallId();
        await app.NotifyAsync(Notify.Incoming(callId, Notify.Phone("+14255550123")));
        await app.PostAsync("/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(callId)));

        var result = await app.RunCommandAsync("outcomes", "list");

        Assert.Equal(0, result.Code);
        var line = Assert.Single(result.Output.Split('\n'), l => l.Contains(callId, StringComparison.Ordinal));
        Assert.Contains("phone:+14255550123", line, StringComparison.Ordinal);
        Assert.Contains("Reject", line, StringComparison.Ordinal);
        Assert.Contains("block", line, StringComparison.Ordinal);
        Assert.Contains("202", line, StringComparison.Ordinal);
        Assert.Contains("No resultInfo", line, StringComparison.Ordinal);
        Assert.Contains("1 call record(s).", result.Output, StringComparison.Ordinal);
    }
}
