using System.Reflection;
using Microsoft.IO;
using Microsoft.Kiota.Serialization.Json;

namespace CallFunctions.Platform.Performance;

/// <summary>Kiota's pool of request-body blocks, bounded (Graph's client writes every request body through it).</summary>
public static class BodyBlockPool
{
    /// <summary>The most that Kiota's pool of request-body blocks keeps for the next requests: eight 128 KB blocks.</summary>
    public const long KeptBytes = 8 * 128 * 1024;

    /// <summary>
    /// Kiota's JSON writer takes a 128 KB block for every request body (a reject's is about 30 bytes) from one static
    /// pool that, as Kiota configures it, keeps every block given back: the worker held 60 to 70 of them (8–9 MB) for
    /// good after its busiest moment (docs/benchmarks.md, memory). Kiota offers no setting, so its pool's own limit is
    /// set here; a block given back beyond it goes to the collector. Null when Kiota no longer has that pool.
    /// </summary>
    public static RecyclableMemoryStreamManager? Bound()
    {
        var pool = typeof(JsonSerializationWriter)
            .GetField("_memoryStreamManager", BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as RecyclableMemoryStreamManager;
        if (pool is not null) pool.Settings.MaximumSmallPoolFreeBytes = KeptBytes;
        return pool;
    }
}
