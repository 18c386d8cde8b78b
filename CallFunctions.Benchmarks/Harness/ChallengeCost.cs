using System.Diagnostics;
using System.Net;
using System.Text;

namespace CallFunctions.Benchmarks.Harness;

/// <param name="RingToReject">Ring to reject, one call at a time, alternating with ring to answer.</param>
/// <param name="RingToAnswer">From the POST of a ring a Challenge rule matches to the stand-in receiving its answer.</param>
/// <param name="Rounds">Whole calls: a rejected call (ring, end) against a challenged one (ring, established, key, transfer, end).</param>
public sealed record ChallengeCostResult(Latencies RingToReject, Latencies RingToAnswer, List<RepeatRound> Rounds)
{
    public const string Rejected = "a rejected call (ring, end)", Challenged = "a challenged call (ring, established, key, transfer, end)";

    private List<RepeatRound> Measured(string side) => [.. Rounds.Where(r => r.Side == side && !r.Warm)];

    public double RequestsPerCall(string side) => (double)Measured(side).Sum(r => r.Requests.Values.Sum()) / Measured(side).Sum(r => r.Rings);

    public double Micros(string side) => Measured(side).Sum(r => r.CpuSeconds) / Measured(side).Sum(r => r.Rings) * 1e6;

    public double WorkerMicros(string side) => Measured(side).Sum(r => r.WorkerCpuSeconds) / Measured(side).Sum(r => r.Rings) * 1e6;

    /// <summary>Each "table method" of the measured rounds of a side, per call.</summary>
    public SortedDictionary<string, double> RequestsByKind(string side)
    {
        var calls = Measured(side).Sum(r => r.Rings);
        var sums = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (kind, n) in Measured(side).SelectMany(r => r.Requests)) sums[kind] = sums.GetValueOrDefault(kind) + n;
        foreach (var kind in sums.Keys.ToList()) sums[kind] /= calls;
        return sums;
    }
}

/// <summary>
/// The Challenge action through the host (the published app, its table endpoint behind the <see cref="CountingProxy"/>):
/// ring to answer one call at a time beside ring to reject, then whole calls driven as Graph drives them, rejected
/// against challenged, in alternating rounds, each call's steps sent once the stand-in got the request they follow.
/// </summary>
public static class ChallengeCost
{
    private const int Workers = 8;

    public static async Task<ChallengeCostResult> RunAsync(BenchStage stage, int oneAtATime, int perRound, int rounds)
    {
        await using var proxy = await CountingProxy.StartAsync(stage.Storage.Port);
        // Rules read once: a refresh inside a round would be counted as that round's requests.
        await using var app = await AppProcess.StartAsync("app", stage.HandlerSettings(refreshSeconds: 3600, proxy.ConnectionString(stage.Storage.ConnectionString)));
        await app.Host.WaitUntilReadyAsync();
        using var client = Load.Client(Workers, stage.Token);
        using var health = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        for (var i = 0; i < 20; i++)
        {
            await RejectedCallAsync(client, stage, app, end: false);
            await ChallengedCallAsync(client, stage, app, whole: false);
        }
        var rejects = new List<double>();
        var answers = new List<double>();
        for (var i = 0; i < oneAtATime; i++)
        {
            rejects.Add(await RejectedCallAsync(client, stage, app, end: false));
            answers.Add(await ChallengedCallAsync(client, stage, app, whole: false));
        }
        Console.WriteLine(FormattableString.Invariant(
            $"  one at a time: ring to reject p50 {Latencies.Of(rejects).P50:F1} ms, p99 {Latencies.Of(rejects).P99:F1} ms; ring to answer p50 {Latencies.Of(answers).P50:F1} ms, p99 {Latencies.Of(answers).P99:F1} ms"));
        // The deadlines of the calls above fire now, before the rounds count anything.
        await Task.Delay(TimeSpan.FromSeconds(BenchStage.ChallengeTimeoutSeconds + 5));

        var sides = new (string Name, Func<Task> Call)[]
        {
            (ChallengeCostResult.Rejected, () => RejectedCallAsync(client, stage, app, end: true)),
            (ChallengeCostResult.Challenged, () => ChallengedCallAsync(client, stage, app, whole: true)),
        };
        var list = new List<RepeatRound>();
        foreach (var side in sides) list.Add(await RoundAsync(stage, proxy, health, app, side, perRound, warm: true));
        for (var round = 0; round < rounds; round++)
            foreach (var side in round % 2 == 0 ? sides : [.. sides.Reverse()])
                list.Add(await RoundAsync(stage, proxy, health, app, side, perRound, warm: false));
        return new ChallengeCostResult(Latencies.Of(rejects), Latencies.Of(answers), list);
    }

    private static async Task<RepeatRound> RoundAsync(BenchStage stage, CountingProxy proxy, HttpClient health, AppProcess app,
        (string Name, Func<Task> Call) side, int perRound, bool warm)
    {
        var countsBefore = new Dictionary<string, int>(proxy.Counts);
        var worker = app.Worker() ?? throw new InvalidOperationException("No worker process under the host.");
        var before = app.CpuSeconds();
        var workerBefore = Cpu.Seconds(worker);
        var watch = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= perRound) await side.Call();
        }));
        // Both sides wait out a deadline, so a challenged call's fires within its round (and a rejected call has none).
        await Task.Delay(TimeSpan.FromSeconds(BenchStage.ChallengeTimeoutSeconds + 3));
        await HostCpu.SettleAsync(app, health, TimeSpan.FromSeconds(60));
        watch.Stop();
        var requests = RepeatCost.RequestsSince(stage, proxy, countsBefore);
        var cpu = new RepeatRound(side.Name, perRound, app.CpuSeconds() - before, Cpu.Seconds(worker) - workerBefore, watch.Elapsed.TotalSeconds, requests, warm);
        Console.WriteLine(FormattableString.Invariant(
            $"  {(warm ? "warm-up " : "")}{cpu.Side}: {cpu.MicrosPerNotification:F0} µs CPU per call (worker {cpu.WorkerMicros:F0}), {cpu.RequestsPerRing:F2} storage requests per call"));
        return cpu;
    }

    /// <summary>A ring the default rules reject, and (<paramref name="end"/>) its termination; returns ring to reject in ms.</summary>
    private static async Task<double> RejectedCallAsync(HttpClient client, BenchStage stage, AppProcess app, bool end)
    {
        var callId = Guid.NewGuid().ToString();
        var took = await PostAsync(client, app, "/api/calls", Load.Body(callId), stage.Rejects.ReceivedAsync(callId));
        if (end) await PostAsync(client, app, "/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(callId)), null);
        return took;
    }

    /// <summary>
    /// A ring the Challenge rule answers; with <paramref name="whole"/>, then established, the key and the transfer's end,
    /// each once Graph was sent the request it follows. Returns ring to answer in ms.
    /// </summary>
    private static async Task<double> ChallengedCallAsync(HttpClient client, BenchStage stage, AppProcess app, bool whole)
    {
        var callId = Guid.NewGuid().ToString();
        var ring = Load.Body(callId).Replace(BenchStage.SampleTenant, BenchStage.ChallengeTenant, StringComparison.Ordinal);
        var took = await PostAsync(client, app, "/api/calls", ring, stage.Rejects.SentAsync(callId, "answer"));
        if (!whole) return took;
        await PostAsync(client, app, "/api/calls", Notify.Batch(Notify.UpdatedItem(callId, "established")), stage.Rejects.SentAsync(callId, "playPrompt"));
        await PostAsync(client, app, "/api/calls", Notify.Batch(Notify.ToneItem(callId, "tone1", 1)), stage.Rejects.SentAsync(callId, "transfer"));
        await PostAsync(client, app, "/api/calls/outcomes", Notify.Batch(Notify.TerminatedItem(callId, 0, 7015, "Call transferred")), null);
        return took;
    }

    /// <summary>POSTs a notification; with <paramref name="sent"/>, waits for the Graph request it causes and returns the time to it.</summary>
    private static async Task<double> PostAsync(HttpClient client, AppProcess app, string route, string body, Task<long>? sent)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var start = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync(app.Url(route), content);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"{route} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return sent is null ? 0 : Stopwatch.GetElapsedTime(start, await sent.WaitAsync(TimeSpan.FromSeconds(30))).TotalMilliseconds;
    }
}
