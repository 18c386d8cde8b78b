using CallFunctions.Calls;

namespace CallFunctions.Records;

internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Information, "Recorded termination of call {CallId}: {Code}/{Subcode} {Meaning}")]
    public static partial void TerminationRecorded(ILogger logger, string callId, int? code, int? subcode, string meaning);

    [LoggerMessage(4002, LogLevel.Warning, "Table Storage did not take the record of call {CallId}; it is held on local disk until it does")]
    public static partial void RecordHeld(ILogger logger, Exception exception, string callId);

    [LoggerMessage(4003, LogLevel.Information, "Wrote {Count} held record(s) to Table Storage")]
    public static partial void SpoolDrained(ILogger logger, int count);

    [LoggerMessage(4004, LogLevel.Debug, "Table Storage still unavailable; {Written} held record(s) written so far")]
    public static partial void StillUnavailable(ILogger logger, int written);

    [LoggerMessage(4005, LogLevel.Warning, "Could not claim {Claim} of call {CallId} in Table Storage; acting without the claim")]
    public static partial void ClaimUnavailable(ILogger logger, Exception exception, string claim, string callId);

    [LoggerMessage(4006, LogLevel.Information, "{Claim} of call {CallId} was already claimed: a duplicate delivery, not acted on again")]
    public static partial void AlreadyClaimed(ILogger logger, string claim, string callId);

    [LoggerMessage(4007, LogLevel.Error, "Could not read the call records for a summary")]
    public static partial void SummaryFailed(ILogger logger, Exception exception);

    [LoggerMessage(4008, LogLevel.Information, "Retention: deleted {Calls} call record(s) with their claims, {Entries} index entries and {Tables} day table(s) older than {Days} days (before {Cutoff})")]
    public static partial void RetentionDone(ILogger logger, int calls, int entries, int tables, int days, DateTimeOffset cutoff);

    [LoggerMessage(4009, LogLevel.Information, "Retention is off (Outcomes__RetentionDays=0): no call record deleted")]
    public static partial void RetentionOff(ILogger logger);

    [LoggerMessage(4010, LogLevel.Warning, "The retention timer ran late (past due): its pass ran now")]
    public static partial void RetentionPastDue(ILogger logger);

    [LoggerMessage(4012, LogLevel.Error, "Stopping with {Count} call record(s) that Table Storage did not take still held on local disk ({Path}): they are lost if the instance's disk goes with it")]
    public static partial void HeldAtShutdown(ILogger logger, int count, string path);

    [LoggerMessage(4011, LogLevel.Information, "{Claim} of call {CallId} was claimed by this delivery, whose first answer from Table Storage was lost: acting on it")]
    public static partial void OwnClaimFound(ILogger logger, string claim, string callId);

    [LoggerMessage(4013, LogLevel.Warning, "Could not count the caller's rings of call {CallId} in Table Storage: its Repeat conditions do not hold")]
    public static partial void RingsUnavailable(ILogger logger, Exception exception, string callId);

    [LoggerMessage(4014, LogLevel.Information, "Retention: deleted {Rings} counted ring(s) of those calls' callers (before {Cutoff})")]
    public static partial void RingsDeleted(ILogger logger, int rings, DateTimeOffset cutoff);

    [LoggerMessage(4015, LogLevel.Information, "Retention: deleted {Passes} caller pass(es) of Challenge rules whose Remember ended")]
    public static partial void PassesDeleted(ILogger logger, int passes);
    // 4050 on: the reconciler (Reconciler, OutcomesReconcile).
    [LoggerMessage(4050, LogLevel.Information, "Reconciler run {Run}: {Open} call(s) recorded without an end, {Due} due; {Closed} closed (ended, not reported by Graph), {Live} still live, {HungUp} hung up, {Unanswered} left open because Graph or Table Storage did not answer, {Left} left for the next run")]
    public static partial void Reconciled(ILogger logger, string run, int open, int due, int closed, int live, int hungUp, int unanswered, int left);

    [LoggerMessage(4051, LogLevel.Information, "Reconciler run {Run} in dry run (Graph__DryRun): {Open} call(s) recorded without an end, {Due} due; it would ask Graph about {Asked}, hang up {HangUps} if Graph says they are live, and leave {Left} for the next run; nothing was changed")]
    public static partial void ReconcileDryRun(ILogger logger, string run, int open, int due, int asked, int hangUps, int left);

    [LoggerMessage(4052, LogLevel.Information, "Closed the record of call {CallId}: ended, not reported by Graph (404 at {FoundAt})")]
    public static partial void ClosedNotReported(ILogger logger, string callId, DateTimeOffset foundAt);

    [LoggerMessage(4053, LogLevel.Warning, "Call {CallId} is still live {Hours} hour(s) after it rang, past Outcomes__ReconcileLimitHours ({Limit}): the reconciler stops asking about it; its record stays open")]
    public static partial void StillLive(ILogger logger, string callId, int hours, int limit);

    [LoggerMessage(4054, LogLevel.Information, "Hung up call {CallId}: the bot was still in it past its BotInCallUntil ({Until}); Graph answered {Status}")]
    public static partial void HungUpPastItsTime(ILogger logger, string callId, DateTimeOffset until, int status);

    [LoggerMessage(4055, LogLevel.Warning, "Could not hang up call {CallId}, live past its BotInCallUntil: Graph answered {Status}; a later run tries again")]
    public static partial void HangUpFailed(ILogger logger, string callId, int status);

    [LoggerMessage(4056, LogLevel.Warning, "Graph answered {Status} when asked about call {CallId}: its record stays open, and it is asked again a period later")]
    public static partial void ReconcileUnanswered(ILogger logger, string callId, int status);

    [LoggerMessage(4057, LogLevel.Warning, "Table Storage failed while reconciling call {CallId}: its record is left as it was, for a later run")]
    public static partial void ReconcileStorageFailed(ILogger logger, Exception exception, string callId);

    [LoggerMessage(4058, LogLevel.Warning, "The reconciler's timer ran late (past due): its run ran now")]
    public static partial void ReconcilePastDue(ILogger logger);
}
