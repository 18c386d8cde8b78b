using System.Diagnostics;
using System.Net;
using System.Text;

namespace CallFunctions.Benchmarks.Harness;

public sealed record ColdStartResult(string Variant, string Knobs, double HandlerMs, double EmptyMs, double[] HandlerRuns, double[] EmptyRuns)
{
    public double Ratio => HandlerMs / EmptyMs;
}

/// <summary>
/// Process start to the first notification decided: the time from starting the process to the first 202 answer to a
/// POST of an incoming call that a rule rejects (the reject sent to the Graph stand-in, the claim and record written to
/// Azurite). The empty app, published the same way, answers the same POST with 202 and nothing else.
/// </summary>
public static class ColdStart
{
    /// <summary>Publish folders (artifacts/bench/publish/{handler,empty}-{name}) and runtime knobs set in the environment.</summary>
    public static readonly (string Publish, string Label, Dictionary<string, string?> Knobs)[] Variants =
    [
        ("fdd", "framework-dependent", []),
        ("sc", "self-contained", []),
        ("sc-r2r", "self-contained, ReadyToRun", []),
        ("sc-r2r", "self-contained, ReadyToRun, TieredPGO off", new() { ["DOTNET_TieredPGO"] = "0" }),
        ("sc-r2r", "self-contained, ReadyToRun, TieredCompilation off", new() { ["DOTNET_TieredCompilation"] = "0" }),
        ("sc", "self-contained, TC_QuickJitForLoops off", new() { ["DOTNET_TC_QuickJitForLoops"] = "0" }),
    ];

    public static string PublishFolder(string app, string variant) => Repo.Path("artifacts", "bench", "publish", $"{app}-{variant}");

    public static async Task<List<ColdStartResult>> RunAsync(int runs)
    {
        await using var stage = await BenchStage.StartAsync();
        var variants = new List<(string Publish, string Label, string Handler, string Empty, Dictionary<string, string?> HandlerSettings, Dictionary<string, string?> Knobs)>();
        foreach (var (publish, label, knobs) in Variants)
        {
            var handler = Path.Combine(PublishFolder("handler", publish), "CallFunctions");
            var empty = Path.Combine(PublishFolder("empty", publish), "EmptyApp");
            if (!File.Exists(handler) || !File.Exists(empty))
            {
                Console.WriteLine($"  {label}: not published, skipped");
                continue;
            }
            var settings = stage.HandlerSettings(30);
            foreach (var (k, v) in knobs) settings[k] = v;
            variants.Add((publish, label, handler, empty, settings, knobs));
        }
        var handlerRuns = variants.Select(_ => new List<double>()).ToArray();
        var emptyRuns = variants.Select(_ => new List<double>()).ToArray();
        // Round-robin over every variant and both apps, so a noisy neighbour slows them all alike.
        for (var run = 0; run < runs; run++)
            for (var i = 0; i < variants.Count; i++)
            {
                handlerRuns[i].Add(await FirstDecisionAsync(variants[i].Handler, variants[i].HandlerSettings));
                emptyRuns[i].Add(await FirstDecisionAsync(variants[i].Empty, variants[i].Knobs));
            }
        var results = new List<ColdStartResult>();
        for (var i = 0; i < variants.Count; i++)
        {
            var result = new ColdStartResult(variants[i].Publish, variants[i].Label, Median(handlerRuns[i]), Median(emptyRuns[i]), [.. handlerRuns[i]], [.. emptyRuns[i]]);
            Console.WriteLine($"  {result.Knobs}: handler {result.HandlerMs:F0} ms, empty {result.EmptyMs:F0} ms, ratio {result.Ratio:F2}");
            results.Add(result);
        }
        return results;
    }

    private static async Task<double> FirstDecisionAsync(string executable, IReadOnlyDictionary<string, string?> settings)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1) });
        var body = Load.Body(Guid.NewGuid().ToString());
        var watch = Stopwatch.StartNew();
        await using var app = AppProcess.Start(executable, settings);
        while (true)
        {
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(app.Url("/api/calls"), content);
                var answer = await response.Content.ReadAsStringAsync();
                // The handler's answer must say the call was rejected; the empty app's is empty.
                if (response.StatusCode == HttpStatusCode.Accepted && (answer.Length == 0 || answer.Contains("\"rejected\"", StringComparison.Ordinal)))
                    return watch.Elapsed.TotalMilliseconds;
                throw new InvalidOperationException($"{executable} answered {(int)response.StatusCode} {answer}.\n{app.LastLines}");
            }
            catch (HttpRequestException) when (watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                // Not listening yet.
                await Task.Delay(2);
            }
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
