using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>
/// A loopback HTTP proxy between the handler and Azurite that counts every storage request by table and method: the
/// handler's connection string points its TableEndpoint here, so no product code is involved.
/// </summary>
public sealed class CountingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase) { "Host", "Transfer-Encoding", "Connection" };

    private LoopbackServer? _server;
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
    private readonly Uri _target;

    private CountingProxy(Uri target) => _target = target;

    /// <summary>Requests counted, keyed by "table method" (e.g. "CallOutcomes POST").</summary>
    public ConcurrentDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

    public int Port { get; private set; }

    public static async Task<CountingProxy> StartAsync(int targetPort)
    {
        var proxy = new CountingProxy(new Uri($"http://127.0.0.1:{targetPort}"));
        proxy._server = await LoopbackServer.StartAsync(proxy.ForwardAsync);
        proxy.Port = new Uri(proxy._server.Address).Port;
        return proxy;
    }

    public string ConnectionString(string azuriteConnectionString) =>
        azuriteConnectionString.Replace($"127.0.0.1:{_target.Port}/", $"127.0.0.1:{Port}/", StringComparison.Ordinal);

    private async Task ForwardAsync(HttpContext http)
    {
        var request = http.Request;
        // Path: /devstoreaccount1/<Table>(<keys>) or /devstoreaccount1/<Table>()
        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var table = segments.Length > 1 ? segments[1].Split('(')[0] : "?";
        Counts.AddOrUpdate($"{table} {request.Method}", 1, (_, n) => n + 1);

        // The target exactly as sent: the SDK signs the escaped path (SharedKey), and keys such as a caller's
        // "phone:+1425…" read back from the decoded PathString would no longer match the signature.
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.Path + request.QueryString).ToString();
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target.GetLeftPart(UriPartial.Authority) + raw));
        if (request.ContentLength > 0 || request.Headers.ContainsKey("Transfer-Encoding"))
            forward.Content = new StreamContent(request.Body);
        foreach (var (name, values) in request.Headers)
        {
            if (NotForwarded.Contains(name)) continue;
            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        using var answer = await _client.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        http.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
            if (!NotForwarded.Contains(name)) http.Response.Headers[name] = values.ToArray();
        await answer.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }
}
