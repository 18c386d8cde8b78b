using System.Diagnostics;

namespace CallFunctions.Tests;

/// <summary>
/// <c>scripts/smoke-check.sh</c>, the check docs/deployment.md runs after deploying, run against the app inside the
/// local Functions host: health 200, an unsigned notification 401, explain with the function key 200.
/// </summary>
public sealed class SmokeCheckTests
{
    [Fact]
    public async Task PassesAgainstTheAppInTheHostWithItsFunctionKey()
    {
        await using var app = await TestApp.StartAsync();

        var (code, output) = await SmokeCheckAsync(app.Host.BaseAddress.ToString(), FunctionsHost.FunctionKey);

        Assert.True(code == 0, output);
        Assert.Contains("ok    GET /api/health: 200", output, StringComparison.Ordinal);
        Assert.Contains("ok    POST /api/calls without Graph's token: 401", output, StringComparison.Ordinal);
        Assert.Contains("ok    POST /api/rules/explain with the function key: 200", output, StringComparison.Ordinal);
        Assert.DoesNotContain(FunctionsHost.FunctionKey, output, StringComparison.Ordinal);
        Assert.Empty(app.Graph.Requests);
    }

    [Fact]
    public async Task FailsNamingTheCheckWhenTheKeyIsWrong()
    {
        await using var app = await TestApp.StartAsync();

        var (code, output) = await SmokeCheckAsync(app.Host.BaseAddress.ToString(), "not-the-key");

        Assert.True(code == 1, output);
        Assert.Contains("ok    GET /api/health: 200", output, StringComparison.Ordinal);
        Assert.Contains("FAIL  POST /api/rules/explain with the function key: 401, expected 200", output, StringComparison.Ordinal);
        Assert.Contains("smoke-check: FAILED", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailsWhenNothingAnswers()
    {
        var (code, output) = await SmokeCheckAsync($"http://127.0.0.1:{Ports.Free()}", "key");

        Assert.True(code == 1, output);
        Assert.Contains("FAIL  GET /api/health: 000, expected 200", output, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> SmokeCheckAsync(string url, string key)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [Repo.Path("scripts", "smoke-check.sh"), url, key])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
