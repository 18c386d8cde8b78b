namespace CallFunctions.Webhook;

internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Legacy-format notification answered 204; Graph re-sends it in its own format")]
    public static partial void LegacyFormat(ILogger logger);

    [LoggerMessage(1002, LogLevel.Warning, "Refused a notification request: {Detail}")]
    public static partial void InvalidEnvelope(ILogger logger, string detail);

    [LoggerMessage(1003, LogLevel.Warning, "Skipped notification {Index} of a batch: {Error}")]
    public static partial void BadItem(ILogger logger, int index, string error);

    [LoggerMessage(1005, LogLevel.Warning, "Answered the webhook before the work was done; {Pending} notification(s) finish in the background")]
    public static partial void AnsweredBeforeDone(ILogger logger, int pending);

    [LoggerMessage(1004, LogLevel.Error, "Could not store nor hold what was done for call {CallId}")]
    public static partial void StorageFailed(ILogger logger, Exception exception, string callId);

    [LoggerMessage(6001, LogLevel.Information, "Shutting down: waiting for {Count} notification batch(es) still in flight")]
    public static partial void WaitingForWork(ILogger logger, int count);

    [LoggerMessage(6002, LogLevel.Error, "Shutdown timeout: {Count} notification batch(es) did not finish")]
    public static partial void WorkAbandoned(ILogger logger, int count);
}
