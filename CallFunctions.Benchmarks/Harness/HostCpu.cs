using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>One round: CPU seconds of host and worker together for a fixed number of notifications.</summary>
public sealed record CpuRound(string App, int Notifications, double CpuSeconds, double WallSeconds, double StorageCpuSeconds)
{
    public double MicrosPerNotification => CpuSeconds / Notifications * 1e6;
}

/// <param name="WorkerPeak">VmHWM of the app's worker after every load of the run (ring to reject and these rounds).</param>
public sealed record HostCpuResult(int Connections, List<CpuRound> Rounds, long WorkerPeak, long HostPeak, long EmptyWorkerPeak, long EmptyHostPeak)
{
    public double AppMicros => Micros("app");

    public double EmptyMicros => Micros("empty");

    public double Ratio => AppMicros / EmptyMicros;

    public double Micros(string app)
    {
        var mine = Rounds.Where(r => r.App == app).ToList();
        return mine.Sum(r => r.CpuSeconds) / mine.Sum(r => r.Notifications) * 1e6;
    }

    public double PerSecond(string app)
    {
        var mine = Rounds.Where(r => r.App == app).ToList();
        return mine.Sum(r => r.Notifications) / mine.Sum(r => r.WallSeconds);
    }

    public double StorageMicros => Rounds.Where(r => r.App == "app").Sum(r => r.StorageCpuSeconds) / Rounds.Where(r => r.App == "app").Sum(r => r.Notifications) * 1e6;
}

/// <summary>
/// CPU per notification of the Functions host and its worker together (utime + stime from /proc of both), the app
/// against the empty app in the same host build, both running, in alternating rounds of the same notifications over the
/// same connections. A round of the app ends when every reject has reached the Graph stand-in and the app's health says
/// no work is in flight (the record written), so its background work is counted; the empty app's when every 202 is back.
/// </summary>
public static class HostCpu
{
    public static async Task<HostCpuResult> RunAsync(BenchStage stage, AppProcess app, AppProcess empty, int perRound, int rounds, int connections)
    {
        using var load = new Load(connections, stage.Token);
        using var health = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        // Warm both: code compiled and connections open before anything is counted.
        await load.SendAsync(app.Url("/api/calls"), perRound / 4);
        await load.SendAsync(empty.Url("/api/calls"), perRound / 4);
        await SettleAsync(app, health, TimeSpan.FromSeconds(60));
        var list = new List<CpuRound>();
        for (var round = 0; round < rounds; round++)
            foreach (var which in round % 2 == 0 ? new[] { app, empty } : [empty, app])
            {
                var storage = stage.StorageProcesses;
                var storageBefore = storage.Sum(Cpu.Seconds);
                var rejectsBefore = stage.Rejects.Count;
                var before = which.CpuSeconds();
                var watch = Stopwatch.StartNew();
                var accepted = await load.SendAsync(which.Url("/api/calls"), perRound);
                if (accepted != perRound) throw new InvalidOperationException($"{which.Name}: {accepted} of {perRound} notifications accepted.\n{Tail(which)}");
                if (which == app)
                {
                    try
                    {
                        await stage.Rejects.WaitForCountAsync(rejectsBefore + perRound, TimeSpan.FromSeconds(30));
                    }
                    catch (TimeoutException e)
                    {
                        Console.WriteLine($"  {e.Message}");
                    }
                    await SettleAsync(app, health, TimeSpan.FromSeconds(60));
                }
                watch.Stop();
                var cpu = new CpuRound(which.Name, perRound, which.CpuSeconds() - before, watch.Elapsed.TotalSeconds, storage.Sum(Cpu.Seconds) - storageBefore);
                Console.WriteLine($"  {cpu.App}: {cpu.MicrosPerNotification:F0} µs CPU per notification ({cpu.Notifications / cpu.WallSeconds:F0}/s)");
                list.Add(cpu);
            }
        return new HostCpuResult(connections, list, Peak(app.Worker()), AppProcess.PeakWorkingSet(app.Id), Peak(empty.Worker()), AppProcess.PeakWorkingSet(empty.Id));
    }

    private static long Peak(int? pid) => pid is { } id ? AppProcess.PeakWorkingSet(id) : throw new InvalidOperationException("No worker process under the host.");

    /// <summary>Until the app's health says nothing is in flight and no record waits for storage.</summary>
    private static async Task SettleAsync(AppProcess app, HttpClient client, TimeSpan timeout)
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
