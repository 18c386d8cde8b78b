using Azure.Core.Pipeline;

namespace CallFunctions.Platform.Performance;

/// <summary>The one connection pool of every table client of the process, bounded.</summary>
public static class StorageTransport
{
    /// <summary>
    /// Table Storage speaks HTTP/1.1, one request per connection at a time: without a bound, a burst of 1,000 calls
    /// opens a connection per request in flight (in ./benchmark.sh, 3,360 open files in the worker during the burst,
    /// 1,479 with the bound; the burst's last reject came after 2.2 s, 1.1 s with it, Azurite serving fewer
    /// connections). Requests beyond the bound wait for a connection, inside the SDK's network timeout.
    /// </summary>
    public const int MaxConnections = 64;

    /// <summary>One connection pool for every table client of the process, as the SDK's default transport shares one.</summary>
    public static readonly HttpClientTransport Shared = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = MaxConnections,
        // A storage account's address can move (failover): connections are renewed, so DNS is asked again.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
        UseCookies = false,
    });
}
