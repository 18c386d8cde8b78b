using System.Diagnostics;
using System.Net;
using System.Text;

namespace CallFunctions.Benchmarks.Harness;

public sealed record LoadResult(string Name, int Requests, int Accepted, int Other, double Seconds)
{
    public double PerSecond => Accepted / Seconds;

    /// <summary>Cores kept busy during the run by the handler and by Azurite.</summary>
    public double HandlerCores { get; init; }

    public double StorageCores { get; init; }
}

/// <summary>
/// The one load generator every endpoint gets: a fixed number of connections, each sending POSTs back to back for a
/// fixed time, every request a new call id in the body of samples/incoming-pstn.json (its caller is on a reject rule),
/// with Graph's <paramref name="token"/> when the app checks it.
/// </summary>
public sealed class Load(int connections, string? token = null) : IDisposable
{
    private const string SampleCallId = "491f0b00-ffff-4bc9-a43e-b226498ec22a";
    private static readonly string Sample = File.ReadAllText(Repo.Path("samples", "incoming-pstn.json"));

    private readonly HttpClient _client = Client(connections, token);

    /// <summary>A client for <paramref name="connections"/> connections that sends Graph's token, if any.</summary>
    public static HttpClient Client(int connections, string? token)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static string Body(string callId) => Sample.Replace(SampleCallId, callId, StringComparison.Ordinal);

    public async Task<LoadResult> RunAsync(string name, Uri url, TimeSpan duration)
    {
        var requests = 0;
        var accepted = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (watch.Elapsed < duration)
            {
                using var content = new StringContent(Body(Guid.NewGuid().ToString()), Encoding.UTF8, "application/json");
                using var response = await _client.PostAsync(url, content);
                Interlocked.Increment(ref requests);
                if (response.StatusCode == HttpStatusCode.Accepted) Interlocked.Increment(ref accepted);
            }
        }));
        watch.Stop();
        return new LoadResult(name, requests, accepted, requests - accepted, watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Sends exactly <paramref name="count"/> notifications over the connections: back to back, or at
    /// <paramref name="perSecond"/>, whoever answers (the i-th leaves i / <paramref name="perSecond"/> after the start, at
    /// once when the connections are behind), so that two apps compared at one pace get the same notifications at the
    /// same times.
    /// </summary>
    /// <param name="body">The body for a call id: <see cref="Body"/> unless another is given.</param>
    public async Task<int> SendAsync(Uri url, int count, Func<string, string>? body = null, double? perSecond = null)
    {
        body ??= Body;
        var next = -1;
        var accepted = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                if (perSecond is { } pace && TimeSpan.FromSeconds(i / pace) - watch.Elapsed is { } due && due > TimeSpan.Zero)
                    await Task.Delay(due);
                using var content = new StringContent(body(Guid.NewGuid().ToString()), Encoding.UTF8, "application/json");
                using var response = await _client.PostAsync(url, content);
                if (response.StatusCode == HttpStatusCode.Accepted) Interlocked.Increment(ref accepted);
            }
        }));
        return accepted;
    }

    public void Dispose() => _client.Dispose();
}
