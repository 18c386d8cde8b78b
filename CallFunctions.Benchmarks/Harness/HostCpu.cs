using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>
/// One round: CPU seconds of host and worker for a fixed number of notifications; <paramref name="Warm"/> for a warm-up
/// round, which the figures leave out.
/// </summary>
public sealed record CpuRound(string App, int Notifications, double CpuSeconds, double WorkerCpuSeconds, double WallSeconds, double StorageCpuSeconds, bool Warm)
{
    public double MicrosPerNotification => CpuSeconds / Notifications * 1e6;

    public double WorkerMicros => WorkerCpuSeconds / Notifications * 1e6;

    public double HostMicros => (CpuSeconds - WorkerCpuSeconds) / Notifications * 1e6;

    public double PerSecond => Notifications / WallSeconds;
}

/// <param name="Pace">Notifications per second of the measured rounds, the same for both apps.</param>
/// <param name="WorkerPeak">VmHWM of the app's worker over the measured rounds (reset before them).</param>
/// <param name="WorkerPeakBefore">VmHWM of the app's worker before the measured rounds: every earlier load of the run
/// (ring to reject and its bursts, the warm-up rounds flat out).</param>
public sealed record HostCpuResult(int Connections, double Pace, List<CpuRound> Rounds, long WorkerPeak, long EmptyWorkerPeak,
    long WorkerPeakBefore, long EmptyWorkerPeakBefore, long HostPeak, long EmptyHostPeak)
{
    /// <summary>What the workers' resident sets held at the end of the measured rounds.</summary>
    public (Resident App, Resident Empty)? Residents { get; init; }

    /// <summary>The worker's and the host's sampling profiles over the measured rounds, when profiled.</summary>
    public List<ProcessProfile>? Profiles { get; init; }

    public double AppMicros => Micros("app");

    public double EmptyMicros => Micros("empty");

    public double Ratio => AppMicros / EmptyMicros;

    /// <summary>The measured rounds of an app: the warm-up left out.</summary>
    public List<CpuRound> Measured(string app) => [.. Rounds.Where(r => r.App == app && !r.Warm)];

    public double Micros(string app) => Per(app, r => r.CpuSeconds);

    public double WorkerMicros(string app) => Per(app, r => r.WorkerCpuSeconds);

    public double HostMicros(string app) => Per(app, r => r.CpuSeconds - r.WorkerCpuSeconds);

    public double PerSecond(string app)
    {
        var mine = Measured(app);
        return mine.Sum(r => r.Notifications) / mine.Sum(r => r.WallSeconds);
    }

    public double StorageMicros => Per("app", r => r.StorageCpuSeconds);

    /// <summary>An app's last warm-up round: its cost flat out, each app at the pace it answers.</summary>
    public CpuRound FlatOut(string app) => Rounds.Last(r => r.App == app && r.Warm);

    public double FlatOutRatio => FlatOut("app").MicrosPerNotification / FlatOut("empty").MicrosPerNotification;

    private double Per(string app, Func<CpuRound, double> seconds)
    {
        var mine = Measured(app);
        return mine.Sum(seconds) / mine.Sum(r => r.Notifications) * 1e6;
    }
}

/// <summary>
/// CPU per notification of the Functions host and its worker together (utime + stime from /proc of both), the app
/// against the empty app in the same host build, both running, in alternating rounds of the same notifications over the
/// same connections at the same pace. A round of the app ends when every reject has reached the Graph stand-in and the
/// app's health says no work is in flight (the record written), so its background work is counted; the empty app's
/// when every 202 is back.
/// </summary>
/// <remarks>
/// The same pace for both: flat out, the empty app answers ten times as many notifications per second as the app (whose
/// pace is Azurite's), and a host's CPU per request falls as its requests come closer together (threads that wake for
/// each request, batched writes), so flat-out figures compare two different loads. Graph sends an app the calls it
/// gets, whichever app answers them.
/// </remarks>
public static class HostCpu
{
    /// <summary>A warm-up round counts as the last when its cost fell less than this from the round before.</summary>
    private const double Steady = 0.05;

    /// <summary>
    /// The app's cost per notification keeps falling over its first few thousand notifications (methods promoted to
    /// tier-1 code as they get hot), while single rounds are noisy enough to look level: at least this many warm-up
    /// rounds before the steadiness test counts.
    /// </summary>
    private const int MinWarmRounds = 3;

    private const int MaxWarmRounds = 8;

    private const int ProfileTop = 25;

    /// <summary>The measured rounds' pace: this share of the app's last flat-out warm-up round, so the app keeps it.</summary>
    private const double PaceShare = 0.5;

    /// <summary>
    /// Warms each app with rounds of <paramref name="perRound"/> until its cost per notification stops falling (JIT
    /// tiers, pools and caches settled), then runs <paramref name="rounds"/> measured rounds of each, alternating.
    /// </summary>
    /// <param name="profile">A folder for the traces when the measured rounds are profiled (<see cref="Profile"/>).</param>
    public static async Task<HostCpuResult> RunAsync(BenchStage stage, AppProcess app, AppProcess empty, int perRound, int rounds, int connections, string? profile = null)
    {
        using var load = new Load(connections, stage.Token);
        using var health = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var list = new List<CpuRound>();
        foreach (var which in new[] { app, empty })
        {
            CpuRound? last = null;
            for (var warm = 0; warm < MaxWarmRounds; warm++)
            {
                var round = await RoundAsync(stage, load, health, which, app, perRound, warm: true);
                list.Add(round);
                if (warm + 1 >= MinWarmRounds && last is not null && round.MicrosPerNotification > last.MicrosPerNotification * (1 - Steady)) break;
                last = round;
            }
        }
        var appFlatOut = list.Last(r => r.App == app.Name);
        var pace = Math.Max(10, Math.Floor(PaceShare * appFlatOut.PerSecond / 10) * 10);
        Console.WriteLine(FormattableString.Invariant($"  measured rounds at {pace:F0} notifications/s for both"));
        var worker = Worker(app);
        var emptyWorker = Worker(empty);
        var (peakBefore, emptyPeakBefore) = (AppProcess.PeakWorkingSet(worker), AppProcess.PeakWorkingSet(emptyWorker));
        AppProcess.ResetPeakWorkingSet(worker);
        AppProcess.ResetPeakWorkingSet(emptyWorker);
        // ./benchmark.sh profile: the app's worker and host sampled over the measured rounds, and the empty app's host beside them.
        await using var profiling = profile is null ? null : Profile.Start(profile, ("worker", worker), ("host", app.Id), ("empty app's host", empty.Id));
        for (var round = 0; round < rounds; round++)
            foreach (var which in round % 2 == 0 ? new[] { app, empty } : [empty, app])
                list.Add(await RoundAsync(stage, load, health, which, app, perRound, warm: false, pace));
        var profiles = profiling is null ? null : await profiling.StopAsync(ProfileTop);
        return new HostCpuResult(connections, pace, list, AppProcess.PeakWorkingSet(worker), AppProcess.PeakWorkingSet(emptyWorker),
            peakBefore, emptyPeakBefore, AppProcess.PeakWorkingSet(app.Id), AppProcess.PeakWorkingSet(empty.Id))
        {
            Profiles = profiles,
            Residents = (Resident.Of(worker), Resident.Of(emptyWorker)),
        };
    }

    private static async Task<CpuRound> RoundAsync(BenchStage stage, Load load, HttpClient health, AppProcess which, AppProcess app, int perRound, bool warm, double? pace = null)
    {
        var storage = stage.StorageProcesses;
        var storageBefore = storage.Sum(Cpu.Seconds);
        var rejectsBefore = stage.Rejects.Count;
        var worker = which.Worker() ?? throw new InvalidOperationException($"{which.Name}: no worker process under the host.");
        var before = which.CpuSeconds();
        var workerBefore = Cpu.Seconds(worker);
        var watch = Stopwatch.StartNew();
        var accepted = await load.SendAsync(which.Url("/api/calls"), perRound, perSecond: pace);
        if (accepted != perRound) throw new InvalidOperationException($"{which.Name}: {accepted} of {perRound} notifications accepted.\n{Tail(which)}");
        if (which == app)
        {
            try
            {
                await stage.Rejects.WaitForCountAsync(rejectsBefore + perRound, TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException e)
            {
                Console.WriteLine($"  {e.Message}");
            }
            await SettleAsync(app, health, TimeSpan.FromSeconds(60));
        }
        watch.Stop();
        var cpu = new CpuRound(which.Name, perRound, which.CpuSeconds() - before, Cpu.Seconds(worker) - workerBefore,
            watch.Elapsed.TotalSeconds, storage.Sum(Cpu.Seconds) - storageBefore, warm);
        Console.WriteLine(FormattableString.Invariant(
            $"  {(warm ? "warm-up " : "")}{cpu.App}: {cpu.MicrosPerNotification:F0} µs CPU per notification (worker {cpu.WorkerMicros:F0}, host {cpu.HostMicros:F0}; {cpu.PerSecond:F0}/s)"));
        return cpu;
    }

    private static int Worker(AppProcess app) => app.Worker() ?? throw new InvalidOperationException($"{app.Name}: no worker process under the host.");

    /// <summary>Until the app's health says nothing is in flight and no record waits for storage.</summary>
    internal static async Task SettleAsync(AppProcess app, HttpClient client, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var health = JsonNode.Parse(await client.GetStringAsync(app.Url("/api/health")))!;
            if (health["inFlight"]!.GetValue<int>() == 0 && !health["recordsWaitingForStorage"]!.GetValue<bool>()) return;
            if (DateTime.UtcNow > until) throw new TimeoutException("The app still had work in flight.");
            await Task.Delay(20);
        }
    }

    private static string Tail(AppProcess app) => string.Join('\n', app.Host.Logs.Text.Split('\n').TakeLast(20));
}

/// <summary>
/// A process's resident set by kind (<c>/proc/&lt;pid&gt;/status</c>): anonymous memory (the GC heap, native
/// allocations, stacks), mapped files (assemblies, native libraries) and shared memory (with W^X, the code compiled at
/// run time); and the mapped file that takes the most (shared memory apart).
/// </summary>
public sealed record Resident(long Anonymous, long Files, long Shared, string LargestFile, long LargestFileBytes)
{
    public static Resident Of(int pid)
    {
        var byFile = new Dictionary<string, long>(StringComparer.Ordinal);
        string? mapping = null;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
                mapping = fields.Length >= 6 && fields[5].StartsWith('/') && !fields[5].StartsWith("/memfd:", StringComparison.Ordinal) ? fields[5] : null;
            else if (mapping is not null && fields is ["Rss:", var kb, ..])
                byFile[mapping] = byFile.GetValueOrDefault(mapping) + long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        var largest = byFile.OrderByDescending(p => p.Value).FirstOrDefault();
        return new Resident(AppProcess.StatusBytes(pid, "RssAnon"), AppProcess.StatusBytes(pid, "RssFile"), AppProcess.StatusBytes(pid, "RssShmem"), Path.GetFileName(largest.Key ?? ""), largest.Value);
    }
}
