namespace CallFunctions.Operators.DashboardPage;

internal static partial class Log
{
    [LoggerMessage(9001, LogLevel.Error, "Could not read the call records or the rules for the dashboard")]
    public static partial void DataUnreadable(ILogger logger, Exception exception);
}
