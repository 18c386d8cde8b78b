using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>
/// A request the app sent to Table Storage through the stand-in. <see cref="Table"/> is the path's table (<c>$batch</c>
/// for a transaction, <c>Tables</c> for a table's creation); the keys come from the path, or from the body of an insert.
/// </summary>
/// <param name="Query">The query string, unescaped: a query's <c>$filter</c> names the keys it reads.</param>
public sealed record StorageRequest(string Method, string Path, string Table, string? PartitionKey, string? RowKey, string Body, string Query = "")
{
    /// <summary>The status Azurite or the fault answered (0 when no answer reached the app).</summary>
    public int Status { get; set; }

    /// <summary>The text (a call id) is in the path or the body: a transaction names its entities in its body only.</summary>
    public bool Carries(string text) =>
        Path.Contains(text, StringComparison.Ordinal) || Body.Contains(text, StringComparison.Ordinal) || Query.Contains(text, StringComparison.Ordinal);

    public bool IsWrite => Method is not "GET";
}

public enum StorageFaultKind
{
    /// <summary>
    /// Azurite acts, then the connection closes without its answer (a client timeout, a dropped path). An answer 404 (a
    /// table not created yet) goes through and does not count: nothing was done that a repeat could meet.
    /// </summary>
    LoseAnswer,

    /// <summary>The request waits before it reaches Azurite (for <see cref="StorageFault.Delay"/> or until a task).</summary>
    DelayRequest,

    /// <summary>Azurite acts at once; its answer waits.</summary>
    DelayAnswer,

    /// <summary>The stand-in answers <see cref="StorageFault.Status"/> with Table Storage's error body; Azurite never sees it.</summary>
    Error,

    /// <summary>The connection closes before the request is forwarded.</summary>
    Reset,
}

/// <summary>What to do to a matching request; <paramref name="Until"/> holds a delayed request or answer until it completes.</summary>
public sealed record StorageFault(StorageFaultKind Kind, int Status = 503, TimeSpan Delay = default, Task? Until = null)
{
    public static StorageFault LoseAnswer { get; } = new(StorageFaultKind.LoseAnswer);

    public static StorageFault Reset { get; } = new(StorageFaultKind.Reset);

    public static StorageFault Error(int status) => new(StorageFaultKind.Error, status);
}

/// <summary>A fault injected for the requests <see cref="Match"/> accepts, at most <see cref="Times"/> of them.</summary>
public sealed class StorageRule(Func<StorageRequest, bool> match, StorageFault fault, int times)
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _hits;

    public Func<StorageRequest, bool> Match { get; } = match;

    public StorageFault Fault { get; } = fault;

    public int Times { get; } = times;

    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Completes when the first matching request arrives: a test waits on it instead of on the clock.</summary>
    public Task Reached => _reached.Task;

    internal bool Matches(StorageRequest request) => Hits < Times && Match(request);

    internal bool TryTake(StorageRequest request) => Matches(request) && TryCount();

    /// <summary>Counts a hit of a request already matched (a lost answer is decided after Azurite's answer).</summary>
    internal bool TryCount()
    {
        if (Interlocked.Increment(ref _hits) > Times) return false;
        _reached.TrySetResult();
        return true;
    }
}

/// <summary>
/// Table Storage on a bad day: a loopback proxy in front of Azurite's table endpoint that forwards every request intact
/// (transactions too) and counts them, and for the requests a rule matches loses the answer after Azurite acted, delays
/// the request or its answer, answers 500/503 as Table Storage does, or resets the connection.
/// </summary>
public sealed class StorageStandIn : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Expect", "Upgrade", "Proxy-Connection",
    };

    private readonly Azurite _storage;
    private readonly HttpClient _azurite = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
    }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly ConcurrentQueue<StorageRequest> _requests = new();
    private readonly ConcurrentQueue<StorageRule> _rules = new();
    private LoopbackServer? _server;

    private StorageStandIn(Azurite storage) => _storage = storage;

    public int Port { get; private set; }

    /// <summary>Every request the app sent, in arrival order.</summary>
    public IReadOnlyList<StorageRequest> Requests => [.. _requests];

    /// <summary>
    /// Azurite's connection string with its table endpoint here: blobs and queues, which the host uses, stay direct.
    /// </summary>
    public string ConnectionString => _storage.ConnectionString.Replace(
        $"TableEndpoint=http://127.0.0.1:{_storage.Port}/", $"TableEndpoint=http://127.0.0.1:{Port}/", StringComparison.Ordinal);

    public static async Task<StorageStandIn> StartAsync(Azurite storage)
    {
        var standIn = new StorageStandIn(storage);
        standIn._server = await LoopbackServer.StartAsync(standIn.HandleAsync);
        standIn.Port = new Uri(standIn._server.Address).Port;
        return standIn;
    }

    /// <summary>Plays <paramref name="fault"/> on the next <paramref name="times"/> requests that <paramref name="match"/> accepts.</summary>
    public StorageRule Inject(Func<StorageRequest, bool> match, StorageFault fault, int times = 1)
    {
        var rule = new StorageRule(match, fault, times);
        _rules.Enqueue(rule);
        return rule;
    }

    /// <summary>Forgets the requests and the rules, for the next test that uses the same app.</summary>
    public void Reset()
    {
        _requests.Clear();
        _rules.Clear();
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        var request = Describe(http.Request, Encoding.UTF8.GetString(body));
        _requests.Enqueue(request);
        // A lost answer is decided once Azurite has answered; the other faults before the request goes.
        var losing = _rules.FirstOrDefault(r => r.Fault.Kind == StorageFaultKind.LoseAnswer && r.Matches(request));
        var fault = _rules.FirstOrDefault(r => r.Fault.Kind != StorageFaultKind.LoseAnswer && r.TryTake(request))?.Fault;

        switch (fault?.Kind)
        {
            case StorageFaultKind.Reset:
                http.Abort();
                return;
            case StorageFaultKind.Error:
                await AnswerErrorAsync(http, request, fault.Status);
                return;
            case StorageFaultKind.DelayRequest:
                await WaitAsync(fault, http.RequestAborted);
                break;
        }

        using var forwarded = Forward(http, body);
        HttpResponseMessage answer;
        byte[] content;
        try
        {
            answer = await _azurite.SendAsync(forwarded, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
            content = await answer.Content.ReadAsByteArrayAsync(CancellationToken.None);
        }
        catch (HttpRequestException)
        {
            // Azurite is down (a test stopped it): the app sees what it would see without the stand-in.
            http.Abort();
            return;
        }
        using var _ = answer;
        if (losing is not null && answer.StatusCode != System.Net.HttpStatusCode.NotFound && losing.TryCount())
        {
            // Azurite has acted; the app never learns it.
            http.Abort();
            return;
        }
        if (fault?.Kind == StorageFaultKind.DelayAnswer) await WaitAsync(fault, CancellationToken.None);

        http.Response.StatusCode = request.Status = (int)answer.StatusCode;
        foreach (var header in answer.Headers.Concat(answer.Content.Headers))
            if (!HopHeaders.Contains(header.Key)) http.Response.Headers[header.Key] = header.Value.ToArray();
        if (content.Length > 0)
        {
            http.Response.ContentLength = content.Length;
            await http.Response.Body.WriteAsync(content, CancellationToken.None);
        }
    }

    private static async Task WaitAsync(StorageFault fault, CancellationToken ct)
    {
        if (fault.Delay > TimeSpan.Zero) await Task.Delay(fault.Delay, ct);
        if (fault.Until is { } until) await until.WaitAsync(ct);
    }

    private HttpRequestMessage Forward(HttpContext http, byte[] body)
    {
        // The path and query exactly as the SDK sent and signed them.
        var incoming = http.Request;
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? $"{incoming.Path.ToUriComponent()}{incoming.QueryString.ToUriComponent()}";
        var target = new Uri($"http://127.0.0.1:{_storage.Port}{raw}");
        var message = new HttpRequestMessage(new HttpMethod(incoming.Method), target);
        if (body.Length > 0 || incoming.ContentType is not null) message.Content = new ByteArrayContent(body);
        foreach (var (name, values) in incoming.Headers)
        {
            if (HopHeaders.Contains(name)) continue;
            if (!message.Headers.TryAddWithoutValidation(name, values.ToArray()))
                message.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        return message;
    }

    /// <summary>An error as Table Storage gives it for <c>Accept: application/json;odata=minimalmetadata</c>.</summary>
    private static async Task AnswerErrorAsync(HttpContext http, StorageRequest request, int status)
    {
        var code = status switch { 503 => "ServerBusy", 500 => "InternalError", _ => "InternalError" };
        var message = status == 503
            ? "The server is busy."
            : "The server encountered an internal error. Please retry the request.";
        var requestId = Guid.NewGuid().ToString();
        http.Response.StatusCode = request.Status = status;
        http.Response.Headers["x-ms-error-code"] = code;
        http.Response.Headers["x-ms-request-id"] = requestId;
        http.Response.Headers["x-ms-version"] = "2019-02-02";
        http.Response.ContentType = "application/json;odata=minimalmetadata;streaming=true;charset=utf-8";
        var time = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
        var value = System.Text.Json.JsonSerializer.Serialize($"{message}\nRequestId:{requestId}\nTime:{time}");
        await http.Response.WriteAsync("{\"odata.error\":{\"code\":\"" + code + "\",\"message\":{\"lang\":\"en-US\",\"value\":" + value + "}}}");
    }

    /// <summary>The table and keys of a request: from its path, or from the body of an insert.</summary>
    private static StorageRequest Describe(HttpRequest http, string body)
    {
        var path = Uri.UnescapeDataString(http.Path.Value ?? "");
        // /devstoreaccount1/<table>(PartitionKey='…',RowKey='…')
        var resource = path.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? "";
        var open = resource.IndexOf('(', StringComparison.Ordinal);
        var table = open < 0 ? resource : resource[..open];
        string? partition = null, row = null;
        if (open >= 0)
        {
            partition = KeyIn(resource, "PartitionKey='");
            row = KeyIn(resource, "RowKey='");
        }
        else if (http.Method == "POST" && table is not "$batch" and not "Tables" && body.StartsWith('{'))
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            partition = json.RootElement.TryGetProperty("PartitionKey", out var p) ? p.GetString() : null;
            row = json.RootElement.TryGetProperty("RowKey", out var r) ? r.GetString() : null;
        }
        return new StorageRequest(http.Method, path, table, partition, row, body, Uri.UnescapeDataString(http.QueryString.Value ?? ""));
    }

    private static string? KeyIn(string resource, string prefix)
    {
        var start = resource.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0) return null;
        start += prefix.Length;
        var end = start;
        // A quote inside a key is doubled.
        while ((end = resource.IndexOf('\'', end)) >= 0 && end + 1 < resource.Length && resource[end + 1] == '\'') end += 2;
        return end < 0 ? null : resource[start..end].Replace("''", "'", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _azurite.Dispose();
    }
}
