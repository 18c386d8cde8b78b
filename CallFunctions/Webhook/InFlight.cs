using System.Collections.Concurrent;

namespace CallFunctions.Webhook;

/// <summary>
/// Work that outlives the request that started it (a reject still retrying after the webhook answered). On shutdown
/// the host stops the server first, then waits here for this work to finish, so nothing accepted is dropped.
/// </summary>
/// <remarks>
/// A burst (at least <see cref="BurstSize"/> batches in flight at once) takes its requests' memory. <see
/// cref="ReleaseAfter"/> after its last batch is done, one compacting collection gives it back, so the worker's resident
/// set after a burst is its steady state's again, instead of the burst's until the collector happens to run a full
/// collection (docs/benchmarks.md, memory). A burst's connections from the host end with it (<see cref="Crowded"/>): the
/// answer says so (<c>Connection: close</c>), so the host never reuses a connection the worker closes. Closing idle ones
/// on a timer instead (Kestrel's KeepAliveTimeout at 10 s) raced the host reusing them, and the host answered 500 to 21
/// calls of a burst that came 10 s after another.
/// </remarks>
public sealed class InFlight(ILogger<InFlight> logger) : IHostedService
{
    /// <summary>Batches in flight at once that make a burst: Graph's steady traffic stays far below.</summary>
    public const int BurstSize = 200;

    /// <summary>How long after a burst its memory is given back: a burst that follows soon reuses it.</summary>
    public static readonly TimeSpan ReleaseAfter = TimeSpan.FromSeconds(10);

    private readonly Timer _release = new(_ => ReleaseBurst(logger));

    private readonly ConcurrentDictionary<Task, bool> _running = new();

    /// <summary>The most batches in flight at once since nothing was.</summary>
    private int _peak;

    public int Count => _running.Count;

    /// <summary>Batches in flight at once beyond which an answer closes its connection.</summary>
    public const int KeptConnections = 32;

    /// <summary>
    /// More batches are in flight than the host needs connections for in steady traffic: an answer now closes its
    /// connection (<c>Connection: close</c>, which the host reads before it would reuse it), so a burst's connections end
    /// with it instead of idling in the worker until the host drops them.
    /// </summary>
    public bool Crowded => _running.Count > KeptConnections;

    public Task Run(Func<Task> work)
    {
        var task = Task.Run(work);
        _running.TryAdd(task, true);
        RaisePeak(_running.Count);
        _ = task.ContinueWith(Done, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    private void RaisePeak(int count)
    {
        int peak;
        while (count > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, count, peak) != peak)
        {
            // Another batch raised it meanwhile: read it again.
        }
    }

    private void Done(Task task)
    {
        _running.TryRemove(task, out _);
        if (!_running.IsEmpty || Interlocked.Exchange(ref _peak, 0) < BurstSize) return;
        // A later burst starts the wait again. On a timer thread: the collection pauses the worker for some
        // milliseconds, and no batch waits on it.
        _release.Change(ReleaseAfter, Timeout.InfiniteTimeSpan);
    }

    private static void ReleaseBurst(ILogger logger)
    {
        var before = Environment.WorkingSet;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Log.BurstReleased(logger, before / 1048576, Environment.WorkingSet / 1048576);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _release.DisposeAsync();
        if (_running.IsEmpty) return;
        Log.WaitingForWork(logger, _running.Count);
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Log.WorkAbandoned(logger, _running.Count);
        }
        catch (Exception)
        {
            // Each piece of work logged its own failure.
        }
    }
}

internal static partial class Log
{
    [LoggerMessage(6001, LogLevel.Information, "Shutting down: waiting for {Count} notification batch(es) still in flight")]
    public static partial void WaitingForWork(ILogger logger, int count);

    [LoggerMessage(6003, LogLevel.Information, "A burst of notifications is done: its memory given back (working set {BeforeMB} MB, now {AfterMB} MB)")]
    public static partial void BurstReleased(ILogger logger, long beforeMB, long afterMB);

    [LoggerMessage(6002, LogLevel.Error, "Shutdown timeout: {Count} notification batch(es) did not finish")]
    public static partial void WorkAbandoned(ILogger logger, int count);
}
