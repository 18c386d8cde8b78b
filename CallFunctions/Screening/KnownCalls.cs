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
