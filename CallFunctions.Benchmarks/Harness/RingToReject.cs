using System.Diagnostics;
using System.Net;
using System.Text;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>Milliseconds, sorted, with the percentiles the targets name.</summary>
public sealed record Latencies(double[] Ms)
{
    public static Latencies Of(IEnumerable<double> values) => new([.. values.Order()]);

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    public double Max => Ms.Length == 0 ? double.NaN : Ms[^1];

    /// <summary>How many arrived at all (a reject that never came is infinitely late).</summary>
    public int Arrived => Ms.Count(double.IsFinite);

    /// <summary>Nearest rank.</summary>
    public double Percentile(double p) => Ms.Length == 0 ? double.NaN : Ms[Math.Clamp((int)Math.Ceiling(p * Ms.Length) - 1, 0, Ms.Length - 1)];
}

/// <param name="OneAtATime">From sending the POST to the stand-in receiving that call's reject, the next call after it.</param>
/// <param name="Burst">From the instant the whole burst is sent to the stand-in receiving each call's reject.</param>
/// <param name="BurstAnswers">From the burst's start to each 202 from the host.</param>
/// <param name="OneAtATimeRedirect">Ring to redirect, one call at a time, each sent right after a ring to reject.</param>
public sealed record RingToRejectResult(Latencies OneAtATime, Latencies Burst, Latencies BurstAnswers, int Other, Latencies OneAtATimeRedirect);

/// <summary>
/// Ring to reject through the Functions host: the POST /api/calls of an incoming call (samples/incoming-pstn.json with
/// a new call id, its caller on a Reject rule, Graph's token checked) until the Graph stand-in receives the reject POST.
/// </summary>
public static class RingToReject
{
    public static async Task<RingToRejectResult> RunAsync(BenchStage stage, AppProcess app, int oneAtATime, int burst)
    {
        var url = app.Url("/api/calls");
        using var client = Load.Client(burst, stage.Token);
        var other = 0;

        // Warm: what an always-ready instance has done before the measured calls (code compiled, connections and
        // threads there for a burst).
        for (var i = 0; i < 20; i++) await OneAsync(client, stage, url, () => other++);
        var (warm, _) = await BurstAsync(client, stage, url, burst, () => Interlocked.Increment(ref other));
        Console.WriteLine($"  warm-up burst: {warm.Count(double.IsFinite)} of {burst} rejected, last {warm.Max():F0} ms");
        other = 0;

        // Rejects and redirects alternate, so both meet the same conditions.
        var single = new List<double>();
        var redirected = new List<double>();
        for (var i = 0; i < oneAtATime; i++)
        {
            single.Add(await OneAsync(client, stage, url, () => other++));
            redirected.Add(await OneAsync(client, stage, url, () => other++, BenchStage.RedirectedCaller));
        }
        Console.WriteLine($"  one at a time: {oneAtATime} calls, p50 {Latencies.Of(single).P50:F1} ms, p99 {Latencies.Of(single).P99:F1} ms");
        Console.WriteLine($"  ring to redirect, one at a time: {oneAtATime} calls, p50 {Latencies.Of(redirected).P50:F1} ms, p99 {Latencies.Of(redirected).P99:F1} ms");

        await Task.Delay(1000);
        var (rejects, answers) = await BurstAsync(client, stage, url, burst, () => Interlocked.Increment(ref other));
        var result = new RingToRejectResult(Latencies.Of(single), Latencies.Of(rejects), Latencies.Of(answers), other, Latencies.Of(redirected));
        Console.WriteLine($"  burst of {burst}: {result.Burst.Ms.Count(double.IsFinite)} rejected, p50 {result.Burst.P50:F0} ms, p99 {result.Burst.P99:F0} ms, last {result.Burst.Max:F0} ms ({other} answers not 202)");
        // The worker's per-call memory after the bursts (no call ended): the figure its bound stands on.
        using var health = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(app.Url("/api/health")));
        Console.WriteLine($"  calls remembered after the bursts: {health.RootElement.GetProperty("callsRemembered").GetInt32()}");
        return result;
    }

    /// <param name="caller">Another caller than the sample's (on the Reject rule): the Redirect rule's.</param>
    private static async Task<double> OneAsync(HttpClient client, BenchStage stage, Uri url, Action other, string? caller = null)
    {
        var callId = Guid.NewGuid().ToString();
        var body = Load.Body(callId);
        if (caller is not null) body = body.Replace("\"+14255550123\"", $"\"{caller}\"", StringComparison.Ordinal);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var sent = Stopwatch.GetTimestamp();
        using (var response = await client.PostAsync(url, content))
            if (response.StatusCode != HttpStatusCode.Accepted) other();
        var rejected = await stage.Rejects.ReceivedAsync(callId).WaitAsync(TimeSpan.FromSeconds(30));
        return Stopwatch.GetElapsedTime(sent, rejected).TotalMilliseconds;
    }

    /// <summary>All <paramref name="count"/> POSTs started at once, each a new call.</summary>
    private static async Task<(double[] Rejects, double[] Answers)> BurstAsync(HttpClient client, BenchStage stage, Uri url, int count, Action other)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var bodies = ids.Select(Load.Body).ToArray();
        var start = Stopwatch.GetTimestamp();
        var answers = await Task.WhenAll(bodies.Select(async body =>
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(url, content);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                other();
                Console.WriteLine($"  {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }));
        // A reject that never comes (the call's deadline passed, Calls__DeadlineSeconds) counts as infinitely late.
        var waited = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                return Stopwatch.GetElapsedTime(start, await stage.Rejects.ReceivedAsync(id).WaitAsync(TimeSpan.FromSeconds(30))).TotalMilliseconds;
            }
            catch (TimeoutException)
            {
                return double.PositiveInfinity;
            }
        }));
        return (waited, answers);
    }
}
