using System.Diagnostics;
using System.Net;
using System.Text;

namespace CallFunctions.Benchmarks.Harness;

public sealed record ColdStartResult(double AppMs, double EmptyMs, double[] AppRuns, double[] EmptyRuns)
{
    public double Ratio => AppMs / EmptyMs;
}

/// <summary>
/// Cold start through the Functions host, both apps published as ./package.sh publishes (framework-dependent,
/// ReadyToRun, linux-x64): from starting the host's process to the Graph stand-in receiving the reject of the first
/// incoming call (the host started, the worker started and its functions indexed, the rules read from Azurite, the token
/// checked, the claim written, the reject sent), against the empty app's host start to its first 202. The harness
/// POSTs an incoming call (a new call id each try) until the host answers 202. Rounds alternate between the apps.
/// </summary>
public static class ColdStart
{
    public static async Task<ColdStartResult> RunAsync(BenchStage stage, int runs)
    {
        var appRuns = new List<double>();
        var emptyRuns = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            // Alternate which goes first too, so a trend over the run falls on both alike.
            foreach (var name in run % 2 == 0 ? new[] { "app", "empty" } : ["empty", "app"])
            {
                var ms = await FirstAsync(stage, name);
                (name == "app" ? appRuns : emptyRuns).Add(ms);
                Console.WriteLine($"  {name}: {ms:F0} ms");
            }
        }
        return new ColdStartResult(Median(appRuns), Median(emptyRuns), [.. appRuns], [.. emptyRuns]);
    }

    private static async Task<double> FirstAsync(BenchStage stage, string name)
    {
        using var client = Load.Client(1, stage.Token);
        client.Timeout = TimeSpan.FromSeconds(60);
        var settings = name == "app" ? stage.HandlerSettings(30) : stage.EmptySettings();
        var start = Stopwatch.GetTimestamp();
        await using var app = await AppProcess.StartAsync(name, settings);
        var url = app.Url("/api/calls");
        while (true)
        {
            if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromSeconds(90))
                throw new TimeoutException($"{name} did not answer 202 within 90 s:\n{app.Host.Logs.Text}");
            var callId = Guid.NewGuid().ToString();
            try
            {
                using var content = new StringContent(Load.Body(callId), Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(url, content);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var end = name == "app"
                        ? await stage.Rejects.ReceivedAsync(callId).WaitAsync(TimeSpan.FromSeconds(30))
                        : Stopwatch.GetTimestamp();
                    return Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;
                }
            }
            catch (HttpRequestException)
            {
                // The host not answering yet.
            }
            await Task.Delay(10);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
