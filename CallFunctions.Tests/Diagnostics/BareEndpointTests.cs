using System.Net;

namespace CallFunctions.Tests.Diagnostics;

/// <summary>The benchmarks' baseline endpoint exists only when asked for.</summary>
public sealed class BareEndpointTests
{
    [Fact]
    public async Task TheBareEndpointIsNotMappedByDefault()
    {
        await using var app = await TestApp.StartAsync();

        using var response = await app.PostAsync("/api/bench/bare", "{}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TheBareEndpointAnswers202AndDoesNothingElseWhenTurnedOn()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Diagnostics:BareEndpoint"] = "true" });

        using var response = await app.PostAsync("/api/bench/bare", Notify.Sample("incoming-pstn.json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(app.Graph.Requests);
        Assert.Empty(await app.AllRecordsAsync());
    }
}
