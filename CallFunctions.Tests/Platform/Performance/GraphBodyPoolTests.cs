using CallFunctions.Platform.Performance;
using Microsoft.Graph.Communications.Calls.Item.Reject;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Serialization.Json;

namespace CallFunctions.Tests.Platform.Performance;

/// <summary>Kiota's pool of request-body blocks, as the app bounds it (<see cref="BodyBlockPool.Bound"/>).</summary>
public sealed class GraphBodyPoolTests
{
    [Fact]
    public void ThePoolOfRequestBodyBlocksKeepsAtMostItsBoundAfterABurstOfRequests()
    {
        // Null would mean Kiota no longer has the pool this bounds: then the bound, and this test, can go.
        var pool = Assert.IsType<Microsoft.IO.RecyclableMemoryStreamManager>(BodyBlockPool.Bound());

        // Forty reject bodies written at once, as forty rejects in flight, then all given back.
        var writers = Enumerable.Range(0, 40).Select(_ =>
        {
            var writer = new JsonSerializationWriter();
            writer.WriteObjectValue(null, new RejectPostRequestBody { Reason = RejectReason.Busy });
            return writer;
        }).ToList();
        var bodies = writers.Select(w => w.GetSerializedContent()).ToList();
        Assert.All(bodies, b => Assert.Equal("{\"reason\":\"busy\"}", new StreamReader(b).ReadToEnd()));
        bodies.ForEach(b => b.Dispose());
        writers.ForEach(w => w.Dispose());

        Assert.Equal(BodyBlockPool.KeptBytes, pool.Settings.MaximumSmallPoolFreeBytes);
        Assert.InRange(pool.SmallPoolFreeSize, 0, BodyBlockPool.KeptBytes);
    }
}
