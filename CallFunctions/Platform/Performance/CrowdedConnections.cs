namespace CallFunctions.Platform.Performance;

/// <summary>
/// A burst's connections from the host end with it: while more notification batches are in flight than the host
/// needs connections for in steady traffic, the webhook's answer says <c>Connection: close</c>, which the host reads
/// before it would reuse the connection (the host drops the header: Graph never sees it).
/// </summary>
/// <remarks>
/// Figure: after a burst of 1,000 the worker held 1,000 idle connections until the host dropped them 60–90 s later,
/// and its peak working set in ./benchmark.sh memory was 166–175 MB; with this, 32 at most and 154 MB (target 160).
/// Closing idle connections on a timer instead (Kestrel's KeepAliveTimeout at 10 s) raced the host reusing them: the
/// host answered 500 to 21 calls of a burst that came 10 s after another.
/// </remarks>
public static class CrowdedConnections
{
    /// <summary>Batches in flight at once beyond which an answer closes its connection.</summary>
    public const int KeptConnections = 32;

    public static bool Crowded(int inFlight) => inFlight > KeptConnections;

    public static void CloseWhenCrowded(HttpResponse response, int inFlight)
    {
        if (Crowded(inFlight)) response.Headers.Connection = "close";
    }
}
