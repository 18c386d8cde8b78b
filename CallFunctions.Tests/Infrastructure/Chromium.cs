using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>
/// Headless Chromium driven by chromedriver over the W3C WebDriver protocol (plain HTTP and JSON, no client library):
/// Debian's <c>chromium</c> and <c>chromium-driver</c>, which ./test.sh installs when missing.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private const string ElementKey = "element-6066-11e4-a52e-4f735466cecf";
    private readonly Process _driver;
    private readonly HttpClient _http;
    private string? _session;

    private Chromium(Process driver, int port)
    {
        _driver = driver;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(120) };
    }

    public static string Driver => Find("CHROMEDRIVER", "/usr/bin/chromedriver");

    public static string Browser => Find("CHROMIUM", "/usr/bin/chromium");

    private static string Find(string variable, string fallback)
    {
        var path = Environment.GetEnvironmentVariable(variable) ?? fallback;
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} is missing: `apt-get install -y chromium chromium-driver` (./test.sh does, as root), or set {variable}.");
    }

    public static async Task<Chromium> StartAsync(int width = 1280, int height = 2200)
    {
        var port = Ports.Free();
        var start = new ProcessStartInfo(Driver)
        {
            ArgumentList = { $"--port={port.ToString(CultureInfo.InvariantCulture)}", "--allowed-ips=127.0.0.1" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var driver = Process.Start(start) ?? throw new InvalidOperationException("chromedriver did not start.");
        driver.OutputDataReceived += (_, _) => { };
        driver.ErrorDataReceived += (_, _) => { };
        driver.BeginOutputReadLine();
        driver.BeginErrorReadLine();
        var chromium = new Chromium(driver, port);
        try
        {
            await Ports.WaitUntilOpenAsync(port, TimeSpan.FromSeconds(30));
            var capabilities = new JsonObject
            {
                ["capabilities"] = new JsonObject
                {
                    ["alwaysMatch"] = new JsonObject
                    {
                        ["browserName"] = "chrome",
                        ["goog:chromeOptions"] = new JsonObject
                        {
                            ["binary"] = Browser,
                            ["args"] = new JsonArray("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                "--no-first-run", "--disable-extensions", $"--window-size={width},{height}"),
                        },
                        ["goog:loggingPrefs"] = new JsonObject { ["browser"] = "ALL" },
                    },
                },
            };
            var session = await chromium.SendAsync(HttpMethod.Post, "session", capabilities);
            chromium._session = session!["sessionId"]!.GetValue<string>();
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    public Task NavigateAsync(Uri url) => SendAsync(HttpMethod.Post, $"session/{_session}/url", new JsonObject { ["url"] = url.ToString() });

    /// <summary>Runs <paramref name="script"/> (a function body; <c>arguments</c> are <paramref name="args"/>) and returns its value.</summary>
    public async Task<JsonNode?> ExecuteAsync(string script, params JsonNode?[] args) =>
        await SendAsync(HttpMethod.Post, $"session/{_session}/execute/sync", new JsonObject { ["script"] = script, ["args"] = new JsonArray(args) });

    /// <summary>Polls <paramref name="script"/> until it returns true.</summary>
    public async Task WaitUntilAsync(string script, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if ((await ExecuteAsync(script))?.GetValue<bool>() == true) return;
            if (DateTime.UtcNow > until) throw new TimeoutException($"The page never satisfied: {script}");
            await Task.Delay(100);
        }
    }

    /// <summary>Clicks the element as a user would (scrolled into view, a real pointer event).</summary>
    public async Task ClickAsync(string css)
    {
        var element = await SendAsync(HttpMethod.Post, $"session/{_session}/element", new JsonObject { ["using"] = "css selector", ["value"] = css });
        var id = (element?[ElementKey] ?? element?["ELEMENT"])?.GetValue<string>()
                 ?? throw new InvalidOperationException($"No element reference for {css}: {element?.ToJsonString()}");
        await SendAsync(HttpMethod.Post, $"session/{_session}/element/{id}/click", new JsonObject());
    }

    public async Task<byte[]> ScreenshotAsync() =>
        Convert.FromBase64String((await SendAsync(HttpMethod.Get, $"session/{_session}/screenshot", null))!.GetValue<string>());

    /// <summary>The browser console's entries since the last call (chromedriver's log endpoint): level, source, message.</summary>
    public async Task<List<(string Level, string Source, string Message)>> ConsoleAsync()
    {
        var entries = await SendAsync(HttpMethod.Post, $"session/{_session}/se/log", new JsonObject { ["type"] = "browser" });
        return [.. entries!.AsArray().Select(e => (e!["level"]!.GetValue<string>(), e["source"]?.GetValue<string>() ?? "", e["message"]!.GetValue<string>()))];
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, path);
        // A string body has a Content-Length; chromedriver does not read chunked bodies.
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"WebDriver {method} /{path}: {(int)response.StatusCode} {answer?["value"]?["message"]}");
        return answer?["value"];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_session is not null) await SendAsync(HttpMethod.Delete, $"session/{_session}", null);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            // The browser is gone already: the driver's kill below ends the rest.
        }
        try
        {
            if (!_driver.HasExited) _driver.Kill(entireProcessTree: true);
            await _driver.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }
        _driver.Dispose();
        _http.Dispose();
    }
}
