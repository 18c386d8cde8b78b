namespace CallFunctions.Platform.Performance;

/// <summary>
/// After a burst (at least <see cref="BurstSize"/> batches in flight at once), one compacting collection
/// <see cref="ReleaseAfter"/> after its last batch is done gives its requests' memory back, so the worker's resident
/// set after a burst is its steady state's again instead of the burst's until the collector happens to run a full
/// collection.
/// </summary>
/// <remarks>
/// Figure (docs/benchmarks.md, memory): the measured rounds' peak working set fell from 242 to 170 MB with this and the
/// other memory knobs of the same change (docs/performance.md lists them). On a timer thread: the collection pauses
/// the worker for some milliseconds, and no batch waits on it.
/// </remarks>
public sealed class BurstCollection(ILogger<BurstCollection> logger) : IAsyncDisposable
{
    /// <summary>Batches in flight at once that make a burst: Graph's steady traffic stays far below.</summary>
    public const int BurstSize = 200;

    /// <summary>How long after a burst its memory is given back: a burst that follows soon reuses it.</summary>
    public static readonly TimeSpan ReleaseAfter = TimeSpan.FromSeconds(10);

    private readonly Timer _release = new(_ => Release(logger));

    /// <summary>The most batches in flight at once since nothing was.</summary>
    private int _peak;

    /// <summary>A batch started, with this many in flight.</summary>
    public void Started(int inFlight)
    {
        int peak;
        while (inFlight > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, inFlight, peak) != peak)
        {
            // Another batch raised it meanwhile: read it again.
        }
    }

    /// <summary>Nothing is in flight any more: after a burst, the collection is due (a later burst starts the wait again).</summary>
    public void AllDone()
    {
        if (Interlocked.Exchange(ref _peak, 0) >= BurstSize) _release.Change(ReleaseAfter, Timeout.InfiniteTimeSpan);
    }

    private static void Release(ILogger logger)
    {
        var before = Environment.WorkingSet;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Log.BurstReleased(logger, before / 1048576, Environment.WorkingSet / 1048576);
    }

    public ValueTask DisposeAsync() => _release.DisposeAsync();
}

internal static partial class Log
{
    [LoggerMessage(6003, LogLevel.Information, "A burst of notifications is done: its memory given back (working set {BeforeMB} MB, now {AfterMB} MB)")]
    public static partial void BurstReleased(ILogger logger, long beforeMB, long afterMB);
}
