using CallFunctions.Calls;
using CallFunctions.Platform;
using CallFunctions.Records;

namespace CallFunctions.Screening;

/// <summary>Where what is known of a call came from.</summary>
public enum KnownFrom
{
    /// <summary>Nothing was looked up: a ringing call, an end, or no rule that could act on what is known.</summary>
    Nothing,

    /// <summary>This instance saw the call ring and remembers it.</summary>
    Memory,

    /// <summary>The call's record.</summary>
    Record,

    /// <summary>The call has no record: no earlier notification of it was recorded.</summary>
    NoRecord,

    /// <summary>Storage could not give the record: only the notification is known, and a call does not wait on storage.</summary>
    StorageUnavailable,
}

/// <summary>What is known of a call before its notification: the context its record or memory keeps, and whether it ended.</summary>
public sealed record KnownCall(KnownFrom From, CallContext? Context = null, bool HasEnded = false)
{
    public static readonly KnownCall None = new(KnownFrom.Nothing);
    public static readonly KnownCall Unavailable = new(KnownFrom.StorageUnavailable);
}

/// <summary>
/// What one notification means for its call, given what is known of it: the one answer the webhook, explain and what-if
/// share. Pure: the record is read, and the rules evaluated, by the caller.
/// </summary>
public abstract record CallStep
{
    private CallStep() { }

    /// <summary>Nothing to decide or record, and why.</summary>
    public sealed record Nothing(CallStage Stage, string Why) : CallStep;

    /// <summary>The call ended: record how.</summary>
    public sealed record RecordEnd : CallStep;

    /// <summary>Evaluate the rules of this stage on this context.</summary>
    public sealed record Decide(CallStage Stage, CallContext Context, KnownFrom From) : CallStep;

    public const string Ending = "The call is ending: no rule applies.";
    public const string AlreadyEnded = "The call was already rejected, hung up or ended: the handler does nothing more.";

    /// <summary>Whether the step needs what is known of the call: only a call in progress merges it.</summary>
    public static bool NeedsKnown(CallEvent call) => call.Stage == CallStage.Active;

    /// <summary>The call's record as what is known; without storage, nothing is known and the notification decides alone.</summary>
    public static async Task<KnownCall> KnownAsync(CallRecords records, string callId, ILogger logger, CancellationToken ct)
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

    public static CallStep For(CallEvent call, KnownCall known) => call.Stage switch
    {
        CallStage.Terminated => new RecordEnd(),
        CallStage.Incoming => new Decide(CallStage.Incoming, CallContext.From(call), KnownFrom.Nothing),
        CallStage.Terminating => new Nothing(CallStage.Terminating, Ending),
        _ when known.HasEnded => new Nothing(CallStage.Active, AlreadyEnded),
        _ => new Decide(CallStage.Active, known.Context?.With(call) ?? CallContext.From(call), known.From),
    };
}
