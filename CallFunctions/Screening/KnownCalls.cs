using System.Collections.Concurrent;
using CallFunctions.Model;
using CallFunctions.Outcomes;
using CallFunctions.Storage;

namespace CallFunctions.Screening;

/// <summary>
/// What the webhook knows of a call before its notification: this instance's memory of the ring, otherwise the call's
/// record. Remembering, forgetting and reading go together, so the screener asks one place.
/// </summary>
public sealed class KnownCalls(RecentCalls recent, CallRecords records, ILogger<KnownCalls> logger)
{
    /// <param name="recorded">Completes when the incoming's record is written (or given up).</param>
    public void Remember(string callId, CallContext context, Task recorded) => recent.Remember(callId, context, recorded);

    /// <summary>An ended call's later notifications must consult the record, which says it ended.</summary>
    public void Forget(string callId) => recent.Forget(callId);

    /// <summary>What is known, and the incoming's work on this instance whose record a later one must follow.</summary>
    public async Task<(KnownCall Known, Task? Earlier)> FindAsync(string callId, CancellationToken ct) =>
        recent.Find(callId) is { } remembered
            ? (new KnownCall(KnownFrom.Memory, remembered.Context), remembered.Recorded)
            : (await ReadAsync(records, callId, logger, ct), null);

    /// <summary>The call's record as what is known; without storage, nothing is known and the notification decides alone.</summary>
    public static async Task<KnownCall> ReadAsync(CallRecords records, string callId, ILogger logger, CancellationToken ct)
    {
        try
        {
            return await records.FindAsync(callId, ct) is { } row && CallRecord.From(row) is var record
                ? new KnownCall(KnownFrom.Record, record.Context, record.HasEnded)
                : new KnownCall(KnownFrom.NoRecord);
        }
        catch (Exception e) when (StorageFailure.IsUnavailable(e, ct))
        {
            Log.ContextUnavailable(logger, e, callId);
            return KnownCall.Unavailable;
        }
    }
}

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
