namespace CallFunctions.RuleTable;

internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Information, "Loaded {Count} rule(s) from table {Table}; {Skipped} row(s) skipped")]
    public static partial void RulesLoaded(ILogger logger, int count, string table, int skipped);

    [LoggerMessage(3002, LogLevel.Warning,
        "Skipped rule row PartitionKey={PartitionKey} RowKey={RowKey}: column {Column} = \"{Value}\" {Why}")]
    public static partial void RowSkipped(ILogger logger, string partitionKey, string rowKey, string column, string? value, string why);

    [LoggerMessage(3003, LogLevel.Error, "Could not read rules table {Table}; keeping the last good {Count} rule(s)")]
    public static partial void RefreshFailed(ILogger logger, Exception exception, string table, int count);
}
