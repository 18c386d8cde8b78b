using System.Collections.Concurrent;
using CallFunctions.Model;

namespace CallFunctions.Screening;

/// <summary>What this instance knows of a recent call: its context, and the incoming's work, done once its record is written.</summary>
public sealed record RecentCall(CallContext Context, Task Recorded);

/// <summary>
/// What this instance learned about recent calls, kept from the moment the incoming notification arrives, before its
/// decision: a call's next notification often arrives while the incoming is still decided or recorded, and needs no
/// table read when it comes here. Other instances read the record.
/// </summary>
public sealed class RecentCalls(TimeProvider clock)
{
    private const int Capacity = 20_000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, (RecentCall Call, DateTimeOffset At)> _calls = new(StringComparer.Ordinal);

    /// <param name="recorded">Completes when the incoming's record is written (or given up).</param>
    public void Remember(string callId, CallContext context, Task recorded)
    {
        _calls[callId] = (new RecentCall(context, recorded), clock.GetUtcNow());
        if (_calls.Count > Capacity) Trim();
    }

    public RecentCall? Find(string callId) =>
        _calls.TryGetValue(callId, out var entry) && clock.GetUtcNow() - entry.At < Lifetime ? entry.Call : null;

    /// <summary>An ended call's later notifications must consult the record, which says it ended.</summary>
    public void Forget(string callId) => _calls.TryRemove(callId, out _);

    private void Trim()
    {
        var cutoff = clock.GetUtcNow() - Lifetime;
        foreach (var (id, entry) in _calls)
            if (entry.At < cutoff) _calls.TryRemove(id, out _);
        if (_calls.Count <= Capacity) return;
        foreach (var (id, _) in _calls.OrderBy(p => p.Value.At).Take(_calls.Count - Capacity * 9 / 10))
            _calls.TryRemove(id, out _);
    }
}
