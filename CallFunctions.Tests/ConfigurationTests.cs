namespace CallFunctions.Tests;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Calls__CallbackUri", "http://bot.contoso.com/api/calls/outcomes", "Calls__CallbackUri must be an absolute https URL")]
    [InlineData("Rules__RefreshSeconds", "-1", "Rules__RefreshSeconds must be between 0 and 86400.")]
    [InlineData("Rules__DefaultAction", "Explode", "Set it as Rules__DefaultAction.")]
    [InlineData("Rules__Table", "bad-name!", "Rules__Table must be a table name")]
    [InlineData("Outcomes__Table", "x", "Outcomes__Table must be a table name")]
    [InlineData("Outcomes__RetentionDays", "-1", "Outcomes__RetentionDays must be a whole number of days from 0 (keep forever) to 36500.")]
    [InlineData("Outcomes__RetentionDays", "ninety", "Set it as Outcomes__RetentionDays.")]
    [InlineData("Graph__BaseUrl", "ftp://graph.example", "Graph__BaseUrl must be an absolute http(s) URL.")]
    [InlineData("Graph__ClientSecret", "s3cr3t-value", "Graph__ClientSecret is set, so Graph__TenantId and Graph__ClientId are required too.")]
    [InlineData("AzureWebJobsStorage", "", "AzureWebJobsStorage is required")]
    [InlineData("AzureWebJobsStorage", "AccountKey=s3cr3t-value;Nonsense", "AzureWebJobsStorage is not a valid storage connection string.")]
    [InlineData("Graph__ClientId", "", "Auth__Audience (or Graph__ClientId) is required")]
    [InlineData("Auth__OpenIdConfiguration", "http://login.example.com/.well-known/OpenIdConfiguration", "Auth__OpenIdConfiguration must be an absolute https URL")]
    [InlineData("Auth__OpenIdConfiguration", "keys.json", "Auth__OpenIdConfiguration must be an absolute https URL")]
    [InlineData("Auth__Issuers", " , ", "Auth__Issuers must list at least one issuer.")]
    [InlineData("Rules__DefaultAction", "Redirect", "Rules__DefaultTarget is required when Rules__DefaultAction is Redirect: where calls go, phone:+E164, user:<id> or applicationInstance:<id>.")]
    [InlineData("Rules__DefaultTarget", "+14255550100", "Rules__DefaultTarget applies only when Rules__DefaultAction is Redirect, and it is Allow.")]
    [InlineData("Rules__DefaultTarget", "reception", "Rules__DefaultTarget \"reception\" is not a target: write phone:+E164", "Rules__DefaultAction", "Redirect")]
    [InlineData("Rules__DefaultTarget", "+1 425", "Rules__DefaultTarget \"+1 425\" is not an E.164 number", "Rules__DefaultAction", "Redirect")]
    public async Task AWrongSettingStopsTheWorkerWithAMessageNamingIt(string name, string value, string message, string? other = null, string? otherValue = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Graph__ClientId"] = OpenIdStandIn.AppId,
            [name] = value,
        };
        if (other is not null) environment[other] = otherValue;

        // Started as the host starts it (its address as arguments): the settings are checked before the worker connects.
        var exit = await AppProcess.RunUntilExitAsync(environment, TimeSpan.FromSeconds(30),
            "--functions-uri", "http://127.0.0.1:1/", "--functions-worker-id", "test", "--functions-request-id", "test");

        Assert.NotNull(exit);
        Assert.NotEqual(0, exit.Code);
        Assert.Contains(message, exit.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", exit.Error + exit.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", exit.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InsideTheHostAWrongSettingIsLoggedTheWorkerIsRestartedAndThenTheHostStops()
    {
        await using var host = await FunctionsHost.StartAsync(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Graph__ClientId"] = OpenIdStandIn.AppId,
            ["Rules__Table"] = "bad-name!",
        }, waitUntilListening: false);
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var answers = new List<int>();
        var probing = Task.Run(async () =>
        {
            while (!host.HasExited)
            {
                try
                {
                    using var answer = await client.GetAsync("/api/health");
                    answers.Add((int)answer.StatusCode);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Not listening: the host starts its HTTP server only once a worker is up.
                }
                await Task.Delay(250);
            }
        });

        var exited = await host.WaitForExitAsync(TimeSpan.FromSeconds(150));
        await probing;

        Assert.True(exited, "the host stops after its worker failed to start three times");
        Assert.DoesNotContain(answers, status => status is >= 200 and < 300);
        var logs = host.Logs.Lines;
        Assert.Contains(logs, l => l.Category == "Host.Function.Console" && l.Level == Microsoft.Extensions.Logging.LogLevel.Error
                                   && l.Message.Contains("Configuration error:", StringComparison.Ordinal)
                                   && l.Message.Contains("Rules__Table must be a table name", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Message.Contains("Exceeded language worker restart retry count", StringComparison.Ordinal));
    }
}
