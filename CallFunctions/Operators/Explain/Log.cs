namespace CallFunctions.Operators.Explain;

internal static partial class Log
{
    [LoggerMessage(7001, LogLevel.Error, "Could not read a call record to explain a notification")]
    public static partial void RecordUnreadable(ILogger logger, Exception exception);
}
