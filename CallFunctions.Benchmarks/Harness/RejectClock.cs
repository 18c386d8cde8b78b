using System.Collections.Concurrent;
using System.Diagnostics;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>
/// The instant (<see cref="Stopwatch.GetTimestamp"/>) the Graph stand-in received each call's reject (or redirect) POST,
/// its body read: where ring to reject (or to redirect) ends.
/// </summary>
public sealed class RejectClock
{
    private const string Calls = "/v1.0/communications/calls/";

    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _calls = new(StringComparer.Ordinal);
    private int _count;

    public RejectClock(GraphStandIn graph) => graph.Answer = request =>
    {
        if (request.Method == "POST" && request.Path.StartsWith(Calls, StringComparison.Ordinal) && request.Path.EndsWith("/reject", StringComparison.Ordinal))
        {
            var at = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _count);
            Of(request.Path[Calls.Length..^"/reject".Length]).TrySetResult(at);
        }
        else if (request.Method == "POST" && request.Path.StartsWith(Calls, StringComparison.Ordinal) && request.Path.EndsWith("/redirect", StringComparison.Ordinal))
        {
            // A redirect ends its ring the same way; it is not counted among the rejects.
            Of(request.Path[Calls.Length..^"/redirect".Length]).TrySetResult(Stopwatch.GetTimestamp());
        }
        else if (request.Path.StartsWith(Calls, StringComparison.Ordinal))
        {
            // A challenge's requests (answer, playPrompt, transfer…) and hang-ups: "{callId}/{verb}", DELETE as "{callId}/".
            Of(request.Path[Calls.Length..] + (request.Method == "DELETE" ? "/" : "")).TrySetResult(Stopwatch.GetTimestamp());
        }
        return null; // the stand-in's normal answer, 202
    };

    /// <summary>Rejects received so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>When Graph was sent <paramref name="verb"/> (<c>answer</c>, <c>playPrompt</c>, <c>transfer</c>) of the call (waits for it).</summary>
    public Task<long> SentAsync(string callId, string verb) => Of($"{callId}/{verb}").Task;

    /// <summary>When the reject of <paramref name="callId"/> arrived (waits for it).</summary>
    public Task<long> ReceivedAsync(string callId) => Of(callId).Task;

    public bool TryReceived(string callId, out long at)
    {
        var task = Of(callId).Task;
        at = task.IsCompletedSuccessfully ? task.Result : 0;
        return task.IsCompletedSuccessfully;
    }

    /// <summary>Waits until <paramref name="count"/> rejects in all have arrived.</summary>
    public async Task WaitForCountAsync(int count, TimeSpan timeout)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Count < count)
        {
            if (Stopwatch.GetTimestamp() > until) throw new TimeoutException($"{Count} of {count} rejects reached the Graph stand-in.");
            await Task.Delay(5);
        }
    }

    private TaskCompletionSource<long> Of(string callId) =>
        _calls.GetOrAdd(callId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
}
