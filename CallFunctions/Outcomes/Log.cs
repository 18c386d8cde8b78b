namespace CallFunctions.Outcomes;

internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Information, "Recorded termination of call {CallId}: {Code}/{Subcode} {Meaning}")]
    public static partial void TerminationRecorded(ILogger logger, string callId, int? code, int? subcode, string meaning);

    [LoggerMessage(4002, LogLevel.Error, "Could not read the call records for a summary")]
    public static partial void SummaryFailed(ILogger logger, Exception exception);
}
