using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>
/// One round of rings of one side: host + worker CPU seconds and the storage requests the counting proxy saw, by
/// "table method" with the tables named as in production (<c>CallOutcomesRings PUT</c>).
/// </summary>
public sealed record RepeatRound(string Side, int Rings, double CpuSeconds, double WorkerCpuSeconds, double WallSeconds, Dictionary<string, int> Requests, bool Warm)
{
    public double MicrosPerNotification => CpuSeconds / Rings * 1e6;

    public double WorkerMicros => WorkerCpuSeconds / Rings * 1e6;

    public double HostMicros => (CpuSeconds - WorkerCpuSeconds) / Rings * 1e6;

    public double RequestsPerRing => (double)Requests.Values.Sum() / Rings;
}

public sealed record RepeatCostResult(int Connections, List<RepeatRound> Rounds)
{
    public const string Plain = "no Repeat rule", WithRepeat = "a Repeat rule in scope";

    public List<RepeatRound> Measured(string side) => [.. Rounds.Where(r => r.Side == side && !r.Warm)];

    public double Micros(string side) => Per(side, r => r.CpuSeconds);

    public double WorkerMicros(string side) => Per(side, r => r.WorkerCpuSeconds);

    public double HostMicros(string side) => Per(side, r => r.CpuSeconds - r.WorkerCpuSeconds);

    public double RequestsPerRing(string side) => (double)Measured(side).Sum(r => r.Requests.Values.Sum()) / Measured(side).Sum(r => r.Rings);

    /// <summary>Each "table method" of the measured rounds of a side, per ring.</summary>
    public SortedDictionary<string, double> RequestsByKind(string side)
    {
        var rings = Measured(side).Sum(r => r.Rings);
        var sums = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (kind, n) in Measured(side).SelectMany(r => r.Requests))
            sums[kind] = sums.GetValueOrDefault(kind) + n;
        foreach (var kind in sums.Keys.ToList()) sums[kind] /= rings;
        return sums;
    }

    private double Per(string side, Func<RepeatRound, double> seconds)
    {
        var mine = Measured(side);
        return mine.Sum(seconds) / mine.Sum(r => r.Rings) * 1e6;
    }
}

/// <summary>
/// A ring's cost with a <c>Repeat</c> rule in its scope against without one, in one app (the published app, its table
/// endpoint behind the <see cref="CountingProxy"/>), in alternating rounds of the same incoming call. The sample's
/// tenant has only the default rules: its caller is rejected by <c>block-test-number</c>, and no ring is counted.
/// <see cref="BenchStage.RepeatTenant"/> also has the <c>robot</c> rule (<c>Repeat</c> <c>4/10m</c>): each of its rings
/// is written and its caller's rings within 10 minutes are read first; the caller rings on and on, so the rule holds
/// and rejects it too (the query reads its largest page).
/// </summary>
public static partial class RepeatCost
{
    private const double Steady = 0.05;
    private const int MaxWarmRounds = 6;

    public static async Task<RepeatCostResult> RunAsync(BenchStage stage, int perRound, int rounds, int connections)
    {
        await using var proxy = await CountingProxy.StartAsync(stage.Storage.Port);
        // Rules read once: a refresh inside a round would be counted as that round's requests.
        await using var app = await AppProcess.StartAsync("app", stage.HandlerSettings(refreshSeconds: 3600, proxy.ConnectionString(stage.Storage.ConnectionString)));
        await app.Host.WaitUntilReadyAsync();
        using var load = new Load(connections, stage.Token);
        using var health = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var sides = new (string Name, Func<string, string> Body)[]
        {
            (RepeatCostResult.Plain, Load.Body),
            (RepeatCostResult.WithRepeat, id => Load.Body(id).Replace(BenchStage.SampleTenant, BenchStage.RepeatTenant, StringComparison.Ordinal)),
        };
        var list = new List<RepeatRound>();
        foreach (var side in sides)
        {
            RepeatRound? last = null;
            for (var warm = 0; warm < MaxWarmRounds; warm++)
            {
                var round = await RoundAsync(stage, proxy, load, health, app, side, perRound, warm: true);
                list.Add(round);
                if (last is not null && round.MicrosPerNotification > last.MicrosPerNotification * (1 - Steady)) break;
                last = round;
            }
        }
        for (var round = 0; round < rounds; round++)
            foreach (var side in round % 2 == 0 ? sides : [.. sides.Reverse()])
                list.Add(await RoundAsync(stage, proxy, load, health, app, side, perRound, warm: false));
        return new RepeatCostResult(connections, list);
    }

    private static async Task<RepeatRound> RoundAsync(BenchStage stage, CountingProxy proxy, Load load, HttpClient health, AppProcess app,
        (string Name, Func<string, string> Body) side, int perRound, bool warm)
    {
        var countsBefore = new Dictionary<string, int>(proxy.Counts);
        var rejectsBefore = stage.Rejects.Count;
        var worker = app.Worker() ?? throw new InvalidOperationException("No worker process under the host.");
        var before = app.CpuSeconds();
        var workerBefore = Cpu.Seconds(worker);
        var watch = Stopwatch.StartNew();
        var accepted = await load.SendAsync(app.Url("/api/calls"), perRound, side.Body);
        if (accepted != perRound) throw new InvalidOperationException($"{side.Name}: {accepted} of {perRound} notifications accepted.");
        try
        {
            await stage.Rejects.WaitForCountAsync(rejectsBefore + perRound, TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            Console.WriteLine($"  {e.Message}");
        }
        await HostCpu.SettleAsync(app, health, TimeSpan.FromSeconds(60));
        watch.Stop();
        var requests = RequestsSince(stage, proxy, countsBefore);
        var cpu = new RepeatRound(side.Name, perRound, app.CpuSeconds() - before, Cpu.Seconds(worker) - workerBefore, watch.Elapsed.TotalSeconds, requests, warm);
        Console.WriteLine(FormattableString.Invariant(
            $"  {(warm ? "warm-up " : "")}{cpu.Side}: {cpu.MicrosPerNotification:F0} µs CPU per notification (worker {cpu.WorkerMicros:F0}, host {cpu.HostMicros:F0}), {cpu.RequestsPerRing:F2} storage requests per ring ({cpu.Rings / cpu.WallSeconds:F0}/s)"));
        return cpu;
    }

    /// <summary>The requests the proxy counted since <paramref name="before"/>, by "table method" as named in production.</summary>
    public static Dictionary<string, int> RequestsSince(BenchStage stage, CountingProxy proxy, Dictionary<string, int> before)
    {
        var requests = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, n) in proxy.Counts)
        {
            var added = n - before.GetValueOrDefault(key);
            if (added > 0) requests[Production(stage, key)] = requests.GetValueOrDefault(Production(stage, key)) + added;
        }
        return requests;
    }

    /// <summary>"Outcomes1a2b…Rings PUT" as it reads in production: "CallOutcomesRings PUT"; a day's index table as <c>yyyyMMdd</c>.</summary>
    private static string Production(BenchStage stage, string key) =>
        Day().Replace(key.Replace(stage.OutcomesTable, "CallOutcomes", StringComparison.Ordinal).Replace(stage.RulesTable, "CallRules", StringComparison.Ordinal), "<yyyyMMdd>");

    [GeneratedRegex("(?<=CallOutcomes)[0-9]{8}")]
    private static partial Regex Day();
}
