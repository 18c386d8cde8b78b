namespace CallFunctions.Benchmarks.Harness;

public sealed record StorageCount(string Path, int Notifications, IReadOnlyDictionary<string, int> Requests);

public sealed record ThroughputResult(
    int Connections, LoadResult Bare, LoadResult Real, LoadResult Naive, long PeakReal, long PeakNaive,
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
        LoadResult bare, real, naive;
        long peakReal, peakNaive;
        await using (var cached = AppProcess.Start(handler, stage.HandlerSettings(refreshSeconds: 30)))
        await using (var uncached = AppProcess.Start(handler, stage.HandlerSettings(refreshSeconds: 0)))
        {
            await cached.WaitUntilOpenAsync();
            await uncached.WaitUntilOpenAsync();
            using var load = new Load(connections);
            var runs = new (string Name, Uri Url)[]
            {
                ("bare", cached.Url("/api/bench/bare")),
                ("real", cached.Url("/api/calls")),
                ("naive", uncached.Url("/api/calls")),
            };
            foreach (var (name, url) in runs) await load.RunAsync(name, url, TimeSpan.FromSeconds(2));
            var results = new List<LoadResult>();
            for (var round = 0; round < rounds; round++)
                foreach (var (name, url) in runs)
                {
                    var result = await load.RunAsync(name, url, phase);
                    Console.WriteLine($"  {name}: {result.PerSecond:F0}/s ({result.Accepted} x 202, {result.Other} other)");
                    results.Add(result);
                }
            bare = Sum(results, "bare");
            real = Sum(results, "real");
            naive = Sum(results, "naive");
            peakReal = cached.PeakWorkingSet();
            peakNaive = uncached.PeakWorkingSet();
        }

        await using var proxy = await CountingProxy.StartAsync(stage.Storage.Port);
        var connectionString = proxy.ConnectionString(stage.Storage.ConnectionString);
        var realCount = await CountAsync(handler, stage, proxy, stage.HandlerSettings(30, connectionString), "cache on");
        var naiveCount = await CountAsync(handler, stage, proxy, stage.HandlerSettings(0, connectionString), "cache off");
        return new ThroughputResult(connections, bare, real, naive, peakReal, peakNaive, realCount, naiveCount);
    }

    private static LoadResult Sum(List<LoadResult> results, string name)
    {
        var mine = results.Where(r => r.Name == name).ToList();
        return new LoadResult(name, mine.Sum(r => r.Requests), mine.Sum(r => r.Accepted), mine.Sum(r => r.Other), mine.Sum(r => r.Seconds));
    }

    private static async Task<StorageCount> CountAsync(
        string handler, BenchStage stage, CountingProxy proxy, Dictionary<string, string?> settings, string path)
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
        _ = stage;
        return new StorageCount(path, Notifications, new Dictionary<string, int>(proxy.Counts));
    }
}
