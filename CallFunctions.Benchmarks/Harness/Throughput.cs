namespace CallFunctions.Benchmarks.Harness;

public sealed record StorageCount(string Path, int Notifications, IReadOnlyDictionary<string, int> Requests);

public sealed record ThroughputResult(
    int Connections, LoadResult Bare, LoadResult Real, LoadResult Naive, LoadResult Storage, double SequentialWritesMs,
    long PeakReal, long PeakNaive,
    StorageCount RealCount, StorageCount NaiveCount);

/// <summary>
/// Requests per second of the bare endpoint, the notification endpoint, and the notification endpoint with the rule
/// cache off, taken in alternating rounds so drift on a shared machine falls on all three alike; then the storage
/// requests per notification, counted through a proxy in front of Azurite.
/// </summary>
public static class Throughput
{
    public static async Task<ThroughputResult> RunAsync(string handler, int connections, TimeSpan phase, int rounds)
    {
        await using var stage = await BenchStage.StartAsync();
        LoadResult bare, real, naive, storage;
        long peakReal, peakNaive;
        double sequentialWrites;
        await using (var cached = AppProcess.Start(handler, stage.HandlerSettings(refreshSeconds: 30)))
        await using (var uncached = AppProcess.Start(handler, stage.HandlerSettings(refreshSeconds: 0)))
        {
            await cached.WaitUntilOpenAsync();
            await uncached.WaitUntilOpenAsync();
            using var load = new Load(connections);
            var writes = new StorageLoad(stage.Storage.ConnectionString, stage.OutcomesTable, connections);
            var runs = new (string Name, AppProcess? App, Func<TimeSpan, Task<LoadResult>> Run)[]
            {
                ("bare", cached, d => load.RunAsync("bare", cached.Url("/api/bench/bare"), d)),
                ("real", cached, d => load.RunAsync("real", cached.Url("/api/calls"), d)),
                ("naive", uncached, d => load.RunAsync("naive", uncached.Url("/api/calls"), d)),
                ("storage", null, writes.RunAsync),
            };
            foreach (var run in runs) await run.Run(TimeSpan.FromSeconds(2));
            var results = new List<LoadResult>();
            for (var round = 0; round < rounds; round++)
                foreach (var (name, app, run) in runs)
                {
                    var azurite = stage.StorageProcesses;
                    var handlerBefore = app is null ? 0 : Cpu.Seconds(app.Id);
                    var storageBefore = azurite.Sum(Cpu.Seconds);
                    var result = await run(phase);
                    result = result with
                    {
                        HandlerCores = app is null ? 0 : (Cpu.Seconds(app.Id) - handlerBefore) / result.Seconds,
                        StorageCores = (azurite.Sum(Cpu.Seconds) - storageBefore) / result.Seconds,
                    };
                    Console.WriteLine($"  {name}: {result.PerSecond:F0}/s ({result.Accepted} done, {result.Other} other; handler {result.HandlerCores:F2} cores, Azurite {result.StorageCores:F2})");
                    results.Add(result);
                }
            bare = Sum(results, "bare");
            real = Sum(results, "real");
            naive = Sum(results, "naive");
            storage = Sum(results, "storage");
            peakReal = cached.PeakWorkingSet();
            peakNaive = uncached.PeakWorkingSet();
            sequentialWrites = await writes.SequentialAsync(50);
        }

        await using var proxy = await CountingProxy.StartAsync(stage.Storage.Port);
        var connectionString = proxy.ConnectionString(stage.Storage.ConnectionString);
        var realCount = await CountAsync(handler, proxy, stage.HandlerSettings(30, connectionString), "cache on");
        var naiveCount = await CountAsync(handler, proxy, stage.HandlerSettings(0, connectionString), "cache off");
        return new ThroughputResult(connections, bare, real, naive, storage, sequentialWrites, peakReal, peakNaive, realCount, naiveCount);
    }

    private static LoadResult Sum(List<LoadResult> results, string name)
    {
        var mine = results.Where(r => r.Name == name).ToList();
        var seconds = mine.Sum(r => r.Seconds);
        return new LoadResult(name, mine.Sum(r => r.Requests), mine.Sum(r => r.Accepted), mine.Sum(r => r.Other), seconds)
        {
            HandlerCores = mine.Sum(r => r.HandlerCores * r.Seconds) / seconds,
            StorageCores = mine.Sum(r => r.StorageCores * r.Seconds) / seconds,
        };
    }

    private static async Task<StorageCount> CountAsync(
        string handler, CountingProxy proxy, Dictionary<string, string?> settings, string path)
    {
        const int Notifications = 200;
        await using var app = AppProcess.Start(handler, settings);
        await app.WaitUntilOpenAsync();
        using var load = new Load(4);
        // The first notification waits for the rules read at start-up; count from the next one on.
        await load.SendAsync(app.Url("/api/calls"), 1);
        await Task.Delay(500);
        proxy.Counts.Clear();
        var accepted = await load.SendAsync(app.Url("/api/calls"), Notifications);
        if (accepted != Notifications) throw new InvalidOperationException($"{accepted} of {Notifications} notifications accepted.\n{app.LastLines}");
        await Task.Delay(500);
        return new StorageCount(path, Notifications, new Dictionary<string, int>(proxy.Counts));
    }
}
