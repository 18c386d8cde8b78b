using System.Net;
using System.Net.Http.Headers;

namespace CallFunctions.Tests.Webhook;

/// <summary>One handler for the whole corpus: a rule would reject or hang up any call that got through.</summary>
public sealed class CorpusApp : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() =>
        App = await TestApp.StartAsync([Rows.Rule("reject-all", 1, "Reject"), Rows.Rule("hang-up-all", 2, "HangUp")]);

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class HostileCorpusTests(CorpusApp fixture) : IClassFixture<CorpusApp>
{
    public static TheoryData<string> Names() => [.. Corpus.All.Keys];

    [Fact]
    public void TheCorpusHoldsAtLeast200Bodies() => Assert.InRange(Corpus.All.Count, 200, int.MaxValue);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task IsRefusedWithA4xxAndNothingIsDone(string name)
    {
        var app = fixture.App;
        // Both webhooks read the same envelope; half the corpus goes to each.
        var route = name.Length % 2 == 0 ? "/api/calls" : "/api/calls/outcomes";
        var content = new ByteArrayContent(Corpus.All[name]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        var response = await app.Client.PostAsync(route, content, timeout.Token);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(app.Graph.Requests);
        Assert.Empty(await app.AllRecordsAsync());
        var healthy = await app.NotifyAsync(Notify.Batch());
        Assert.Equal(HttpStatusCode.Accepted, healthy.StatusCode);
    }
}
