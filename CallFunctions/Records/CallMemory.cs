using CallFunctions.Calls;
using CallFunctions.Platform;

namespace CallFunctions.Records;

/// <summary>
/// What this instance knows of a recent call without a table read: the context its ring carried, with the ring's work
/// (done once its record is written), while the bot may still act on the call; and the hour its record was filed
/// under in the index, until its end is recorded. Other instances, and this one after an eviction, read the record.
/// </summary>
/// <param name="Context">Null once the bot is out of the call: its later notifications must consult its record.</param>
/// <param name="Recorded">Completes when the ring's record is written (or given up).</param>
/// <param name="FiledHour">The index hour the ring was filed under (<see cref="CallIndex.Bucket"/>).</param>
/// <param name="Challenged">What the ring decided: a challenge (true), something else (false), or not seen here (null).</param>
public sealed record RememberedCall(CallContext? Context, Task? Recorded, string? FiledHour, bool? Challenged = null);

/// <summary>The one per-call memory of an instance (<see cref="BoundedMemory{TKey, TValue}"/>), shared by the screener and the records.</summary>
public sealed class CallMemory(TimeProvider clock)
{
    /// <summary>
    /// Calls remembered at most. A call's entry lives from its ring to its end (or its lifetime), so the count is the
    /// calls rung in the last <see cref="Lifetime"/> that have not ended. After ./benchmark.sh's ring to reject (20
    /// warm-up calls, a burst of 1,000, 600 calls one at a time, a second burst of 1,000; no call ended) the worker
    /// remembered 2,620 (GET /api/health, 2026-12-06): the bound is 7.6 times that hour's worth, and what passes it is
    /// read back from the record, never lost (docs/performance.md).
    /// </summary>
    public const int Capacity = 20_000;

    /// <summary>
    /// The longest a remembered index hour can serve: a change in another hour reads the record back anyway. The
    /// notifications that follow a ring come within seconds.
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly BoundedMemory<string, RememberedCall> _calls = new(Capacity, Lifetime, clock, StringComparer.Ordinal);

    public int Count => _calls.Count;

    /// <summary>The ring's context, remembered before the decision: an update handled meanwhile must know the caller.</summary>
    public void Ringing(string callId, CallContext context, Task recorded) => _calls.Set(callId, new RememberedCall(context, recorded, null));

    /// <summary>The bot is out of the call: its later notifications consult its record, which says so.</summary>
    public void BotLeft(string callId) => _calls.Update(callId, c => c with { Context = null, Recorded = null });

    /// <summary>Whether the ring's decision was a challenge: a later notification of a call not challenged reads no challenge state.</summary>
    public void Decided(string callId, bool challenged) => _calls.Update(callId, c => c with { Challenged = challenged });

    public void Filed(string callId, string hour)
    {
        if (_calls.TryGet(callId, out _)) _calls.Update(callId, c => c with { FiledHour = hour });
        else _calls.Set(callId, new RememberedCall(null, null, hour));
    }

    /// <summary>The call ended: nothing more to remember.</summary>
    public void Ended(string callId) => _calls.Forget(callId);

    public RememberedCall? Find(string callId) => _calls.TryGet(callId, out var known) ? known : null;
}
