namespace CallFunctions.Operators.WhatIf;

internal static partial class Log
{
    [LoggerMessage(8001, LogLevel.Error, "Could not read the call records for a what-if")]
    public static partial void RecordsUnreadable(ILogger logger, Exception exception);
}
