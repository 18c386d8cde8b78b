using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>A request the real Microsoft.Graph SDK sent to the stand-in.</summary>
public sealed record GraphRequest(string Method, string Path, string Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At)
{
    /// <summary>The status the stand-in answered (0 until it has).</summary>
    public int Status { get; set; }

    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);
}

/// <summary>
/// An answer to give instead of success: a status, an optional Retry-After, and an optional delay; or held until
/// <paramref name="Until"/> completes, so a test decides when Graph answers instead of timing it.
/// </summary>
public sealed record GraphFault(int Status, string? RetryAfter = null, TimeSpan Delay = default, Task? Until = null);

/// <summary>
/// Graph on loopback: answers reject, redirect, answer and transfer with 202, subscribeToTone, playPrompt and
/// cancelMediaProcessing with 200 and their operation, delete with 204 and get with the call or 404 (<see cref="LiveCalls"/>)
/// as Graph does, records every request, and plays
/// queued faults (429 with Retry-After, 503, 404, slow answers) first.
/// </summary>
public sealed class GraphStandIn : IAsyncDisposable
{
    private LoopbackServer? _server;
    private readonly ConcurrentQueue<GraphRequest> _requests = new();
    private readonly ConcurrentQueue<GraphFault> _faults = new();

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<GraphRequest> Requests => [.. _requests];

    /// <summary>Applied to every answer that is not a queued fault.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>When set, decides each answer (after queued faults run out); null means the normal success.</summary>
    public Func<GraphRequest, GraphFault?>? Answer { get; set; }

    /// <summary>
    /// The calls Graph still has: <c>GET /communications/calls/{id}</c> answers 200 with the call for these, 404 for any
    /// other (a call that has ended), as Graph does; a DELETE ends the call.
    /// </summary>
    public ConcurrentDictionary<string, bool> LiveCalls { get; } = new(StringComparer.Ordinal);

    /// <summary>Forgets what was sent and what was set, for the next test that uses the same app.</summary>
    public void Reset()
    {
        LiveCalls.Clear();
        _requests.Clear();
        _faults.Clear();
        Latency = TimeSpan.Zero;
        Answer = null;
    }

    public void Enqueue(params GraphFault[] faults)
    {
        foreach (var fault in faults) _faults.Enqueue(fault);
    }

    public static async Task<GraphStandIn> StartAsync()
    {
        var standIn = new GraphStandIn();
        standIn._server = await LoopbackServer.StartAsync(standIn.HandleAsync);
        standIn.BaseUrl = standIn._server.Address + "/v1.0";
        return standIn;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new GraphRequest(http.Request.Method, http.Request.Path.Value ?? "", body, headers, DateTimeOffset.UtcNow);
        _requests.Enqueue(request);

        var fault = _faults.TryDequeue(out var queued) ? queued : Answer?.Invoke(request);
        var delay = fault?.Delay ?? Latency;
        if (delay > TimeSpan.Zero) await Task.Delay(delay, http.RequestAborted);
        if (fault?.Until is { } until) await until.WaitAsync(http.RequestAborted);
        if (fault is not null)
        {
            http.Response.StatusCode = request.Status = fault.Status;
            if (fault.RetryAfter is not null) http.Response.Headers.RetryAfter = fault.RetryAfter;
            if (fault.Status >= 400)
            {
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync("{\"error\":{\"code\":\"Fault" + fault.Status + "\",\"message\":\"Injected by the test.\"}}");
            }
            return;
        }

        const string calls = "/v1.0/communications/calls/";
        var isCall = request.Path.StartsWith(calls, StringComparison.Ordinal);
        var callId = isCall ? request.Path[calls.Length..] : "";
        if (request.Method == "GET" && isCall && !callId.Contains('/', StringComparison.Ordinal) && LiveCalls.ContainsKey(callId))
        {
            // The call as Graph's call-get page shows it, trimmed to what identifies it.
            http.Response.StatusCode = request.Status = 200;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.call",
                ["id"] = callId,
                ["state"] = "established",
                ["direction"] = "incoming",
                ["callbackUri"] = "https://bot.contoso.com/api/calls/outcomes",
                ["requestedModalities"] = new JsonArray("audio"),
            }.ToJsonString());
            return;
        }
        if (request.Method == "DELETE" && isCall) LiveCalls.TryRemove(callId, out _);
        var verb = request.Path[(request.Path.LastIndexOf('/') + 1)..];
        http.Response.StatusCode = request.Status = (request.Method, isCall, verb) switch
        {
            ("POST", true, "reject" or "redirect" or "answer" or "transfer") => 202,
            ("POST", true, "subscribeToTone" or "playPrompt" or "cancelMediaProcessing") => 200,
            ("DELETE", true, _) => 204,
            _ => 404,
        };
        if (request.Status == 200)
        {
            // Graph answers the media requests with the operation it started (call-playprompt.md and the others).
            var type = verb switch
            {
                "playPrompt" => "playPromptOperation",
                "subscribeToTone" => "subscribeToToneOperation",
                _ => "cancelMediaProcessingOperation",
            };
            var clientContext = request.Json?["clientContext"]?.GetValue<string>();
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph." + type,
                ["id"] = Guid.NewGuid().ToString(),
                ["status"] = verb == "playPrompt" ? "running" : "completed",
                ["clientContext"] = clientContext,
                ["resultInfo"] = null,
            }.ToJsonString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
