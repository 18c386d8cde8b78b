namespace CallFunctions.Outcomes;

internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Information, "Recorded termination of call {CallId}: {Code}/{Subcode} {Meaning}")]
    public static partial void TerminationRecorded(ILogger logger, string callId, int? code, int? subcode, string meaning);
}
