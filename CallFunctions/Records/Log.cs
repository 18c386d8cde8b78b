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
}
