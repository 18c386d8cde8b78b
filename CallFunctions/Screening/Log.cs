using CallFunctions.Calls;

namespace CallFunctions.Screening;

internal static partial class Log
{
    [LoggerMessage(2101, LogLevel.Information, "Call {CallId}: {Action} by rule {Rule} (caller {Caller})")]
    public static partial void Decided(ILogger logger, string callId, RuleAction action, string rule, string caller);

    [LoggerMessage(2102, LogLevel.Warning, "Could not read the record of call {CallId}; deciding on this notification alone")]
    public static partial void ContextUnavailable(ILogger logger, Exception exception, string callId);
}
