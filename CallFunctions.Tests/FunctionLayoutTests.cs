using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace CallFunctions.Tests;

/// <summary>The app as the Functions host sees it: the metadata the SDK generates, the host's routes and keys.</summary>
public sealed class FunctionLayoutTests
{
    private static JsonArray Metadata() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(FunctionsHost.BuiltApp, "functions.metadata")))!.AsArray();

    private static JsonNode Trigger(string function) =>
        Metadata().Single(f => f!["name"]!.GetValue<string>() == function)!["bindings"]!.AsArray()
            .Single(b => b!["type"]!.GetValue<string>() == "httpTrigger")!;

    [Fact]
    public void TheAppHasElevenFunctionsEachInAFileNamedAfterIt()
    {
        var names = Metadata().Select(f => f!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            ["CallNotifications", "CallOutcomes", "ChallengeDeadlines", "ChallengePrompts", "Dashboard", "Health", "OutcomesReconcile", "OutcomesRetention", "OutcomesSummary", "RulesExplain", "RulesWhatIf"],
            names);
        foreach (var name in names) Assert.True(File.Exists(Repo.Path("CallFunctions", name + ".cs")), $"CallFunctions/{name}.cs");
    }

    [Theory]
    [InlineData("CallNotifications", "calls", "post", "Anonymous")]
    [InlineData("CallOutcomes", "calls/outcomes", "post", "Anonymous")]
    [InlineData("RulesExplain", "rules/explain", "post", "Function")]
    [InlineData("OutcomesSummary", "outcomes/summary", "get", "Function")]
    [InlineData("Health", "health", "get", "Anonymous")]
    [InlineData("ChallengePrompts", "prompts/{name}", "get", "Anonymous")]
    [InlineData("RulesWhatIf", "rules/whatif", "post", "Function")]
    [InlineData("Dashboard", "dashboard", "get,post", "Function")]
    public void EachFunctionHasTheRouteMethodAndAuthLevelTheReadmePromises(string function, string route, string methods, string authLevel)
    {
        var trigger = Trigger(function);

        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal(methods.Split(','), trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(authLevel, trigger["authLevel"]!.GetValue<string>());
    }

    [Fact]
    public void RetentionRunsOnAnHourlyTimerWithNoRoute()
    {
        var bindings = Metadata().Single(f => f!["name"]!.GetValue<string>() == "OutcomesRetention")!["bindings"]!.AsArray();

        var timer = Assert.Single(bindings)!;
        Assert.Equal("timerTrigger", timer["type"]!.GetValue<string>());
        Assert.Equal("0 15 * * * *", timer["schedule"]!.GetValue<string>());
        Assert.Equal(OutcomesRetention.Schedule, timer["schedule"]!.GetValue<string>());
    }

    [Fact]
    public void TheReconcilerRunsOnATimerEveryFiveMinutesWithNoRoute()
    {
        var bindings = Metadata().Single(f => f!["name"]!.GetValue<string>() == "OutcomesReconcile")!["bindings"]!.AsArray();

        var timer = Assert.Single(bindings)!;
        Assert.Equal("timerTrigger", timer["type"]!.GetValue<string>());
        Assert.Equal("0 */5 * * * *", timer["schedule"]!.GetValue<string>());
        Assert.Equal(OutcomesReconcile.Schedule, timer["schedule"]!.GetValue<string>());
    }

    [Fact]
    public void NoFunctionJsonIsWrittenByHandTheSdkGeneratesTheMetadata()
    {
        var handWritten = Directory.GetFiles(Repo.Root, "function.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains("node_modules", StringComparison.Ordinal));

        Assert.Empty(handWritten);
    }

    [Fact]
    public void HostJsonAtTheRootReachesTheBuildOutputAndHoldsNoCustomHandler()
    {
        var root = File.ReadAllText(Repo.Path("host.json"));
        var host = JsonNode.Parse(root)!;

        Assert.Equal(root, File.ReadAllText(Path.Combine(FunctionsHost.BuiltApp, "host.json")));
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Null(host["customHandler"]);
        Assert.Equal("api", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
    }

    [Fact]
    public void LocalSettingsUseTheIsolatedWorkerAndAzurite()
    {
        var values = JsonNode.Parse(File.ReadAllText(Repo.Path("local.settings.json")))!["Values"]!;

        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(FunctionsHost.BuiltApp, "local.settings.json")));
    }

    [Fact]
    public async Task TheHostGuardsItsAdminApiAndFunctionRoutesWithKeysAndLeavesTheWebhooksOpen()
    {
        await using var app = await TestApp.StartAsync();
        using var admin = new HttpRequestMessage(HttpMethod.Get, "/admin/functions");
        admin.Headers.Add("x-functions-key", FunctionsHost.MasterKey);

        var withMasterKey = await app.Anonymous.SendAsync(admin);
        var withoutKey = await app.Anonymous.GetAsync("/admin/functions");
        var summaryWithoutKey = await app.Anonymous.GetAsync("/api/outcomes/summary");
        var summaryWithKeyInUrl = await app.Anonymous.GetAsync($"/api/outcomes/summary?code={FunctionsHost.FunctionKey}");
        var summaryWithWrongKey = await app.Anonymous.GetAsync("/api/outcomes/summary?code=not-the-key");
        var health = await app.Anonymous.GetAsync("/api/health");
        var webhookWithoutKey = await app.Anonymous.PostAsync("/api/calls", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, withMasterKey.StatusCode);
        var functions = JsonNode.Parse(await withMasterKey.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(11, functions.Count);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, summaryWithoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, summaryWithKeyInUrl.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, summaryWithWrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        // Anonymous at the host: the worker's own Graph token check answers, not the host's key check.
        Assert.Equal(HttpStatusCode.Unauthorized, webhookWithoutKey.StatusCode);
        Assert.Equal("application/problem+json", webhookWithoutKey.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", webhookWithoutKey.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task TestsTalkToTheAppInsideTheFunctionsHostOverRealLoopbackHttp()
    {
        await using var app = await TestApp.StartAsync();

        Assert.Equal("127.0.0.1", app.Client.BaseAddress!.Host);
        Assert.Contains("Starting Host", app.Logs.Text, StringComparison.Ordinal);
        Assert.Contains("Worker process started and initialized", app.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHostSchedulesTheRetentionTimerOnAzuritesBlobsWithoutAStorageError()
    {
        await using var app = await TestApp.StartAsync(ownHost: true);

        // The host logs the timer's next occurrences once its listener holds the schedule monitor in blob storage.
        bool Scheduled() => app.Logs.Lines.Any(l => l.Category == "Host.Triggers.Timer" && l.Message.Contains("'OutcomesRetention' schedule (Cron: '0 15 * * * *')", StringComparison.Ordinal));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!Scheduled() && DateTime.UtcNow < until) await Task.Delay(200);

        Assert.True(Scheduled(), "The host did not schedule OutcomesRetention:\n" + app.Logs.Text);
        // The reconciler's timer is off in the tests (FunctionsHost): its tests run it through the admin API.
        Assert.DoesNotContain(app.Logs.Lines, l => l.Category == "Host.Triggers.Timer" && l.Message.Contains("'OutcomesReconcile' schedule", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Level >= LogLevel.Error);
    }
}
