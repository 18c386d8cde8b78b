using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CallFunctions.Tests;

public sealed class FunctionLayoutTests
{
    public static TheoryData<string> FunctionFolders() => [.. FunctionNames()];

    private static IEnumerable<string> FunctionNames() =>
        Directory.GetFiles(Repo.Root, "function.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains("node_modules", StringComparison.Ordinal))
            .Select(f => Path.GetFileName(Path.GetDirectoryName(f)!));

    [Fact]
    public void TheAppHasExactlyFiveFunctionsNamedAsInTheRoutesTable()
    {
        Assert.Equal(["CallNotifications", "CallOutcomes", "Health", "OutcomesSummary", "RulesExplain"], FunctionNames().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(FunctionFolders))]
    public async Task EveryFunctionRouteHasItsEndpointInTheHandler(string function)
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Repo.Path(function, "function.json")))!;
        var bindings = json["bindings"]!.AsArray();
        // Forwarding applies only to exactly one httpTrigger in and one http out.
        Assert.Equal(2, bindings.Count);
        var trigger = Assert.Single(bindings, b => b!["type"]!.GetValue<string>() == "httpTrigger")!;
        Assert.Single(bindings, b => b!["type"]!.GetValue<string>() == "http" && b["direction"]!.GetValue<string>() == "out");
        var route = "/api/" + trigger["route"]!.GetValue<string>();
        var methods = trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).ToList();

        await using var app = await TestApp.StartAsync();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var endpoint = Assert.Single(endpoints, e => "/" + e.RoutePattern.RawText!.TrimStart('/') == route);
        var allowed = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods;
        Assert.Equal(methods.Order(), allowed.Order());
    }

    [Theory]
    [InlineData("CallNotifications")]
    [InlineData("CallOutcomes")]
    public void GraphWebhooksAreAnonymousBecauseTheGraphTokenGuardsThem(string function)
    {
        // Graph's signed token is the guard; a key in the URL would be one more secret copied into portals and logs.
        var json = JsonNode.Parse(File.ReadAllText(Repo.Path(function, "function.json")))!;
        var trigger = json["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "httpTrigger")!;
        Assert.Equal("anonymous", trigger["authLevel"]!.GetValue<string>());
    }

    [Fact]
    public void HostJsonStartsTheHandlerAndForwardsRequests()
    {
        var host = JsonNode.Parse(File.ReadAllText(Repo.Path("host.json")))!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("handler/CallFunctions", host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.Equal("api", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
    }

    [Fact]
    public void LocalSettingsUseTheCustomRuntimeAndAzurite()
    {
        var values = JsonNode.Parse(File.ReadAllText(Repo.Path("local.settings.json")))!["Values"]!;
        Assert.Equal("custom", values["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]!.GetValue<string>());
    }

    [Fact]
    public async Task TestsTalkToTheHandlerOverRealLoopbackHttp()
    {
        await using var app = await TestApp.StartAsync();

        Assert.Equal("127.0.0.1", app.Client.BaseAddress!.Host);
        Assert.NotEqual(80, app.Client.BaseAddress.Port);
    }
}
