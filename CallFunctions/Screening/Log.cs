using CallFunctions.Calls;

namespace CallFunctions.Screening;

internal static partial class Log
{
    [LoggerMessage(2101, LogLevel.Information, "Call {CallId}: {Action} by rule {Rule} (caller {Caller})")]
    public static partial void Decided(ILogger logger, string callId, RuleAction action, string rule, string caller);

    [LoggerMessage(2102, LogLevel.Warning, "Could not read the record of call {CallId}; deciding on this notification alone")]
    public static partial void ContextUnavailable(ILogger logger, Exception exception, string callId);

    [LoggerMessage(2103, LogLevel.Error,
        "Call {CallId}: rule {Rule} challenges with the served prompt {Prompt}, but Calls__CallbackUri is not set, so Graph has no address to fetch it from: the call is not answered")]
    public static partial void NoPromptAddress(ILogger logger, string callId, string rule, string prompt);

    [LoggerMessage(2104, LogLevel.Warning, "Call {CallId}: Table Storage did not take the challenge of rule {Rule}, which another instance could not carry on: the call is not answered")]
    public static partial void ChallengeNotStored(ILogger logger, string callId, string rule);

    [LoggerMessage(2105, LogLevel.Warning, "Call {CallId}: could not read the callers who passed from Table Storage; the caller is challenged")]
    public static partial void PassesUnavailable(ILogger logger, Exception exception, string callId);

    [LoggerMessage(2106, LogLevel.Error, "Call {CallId}: could not queue the challenge's deadline; the reconciler hangs up the call if it is stuck")]
    public static partial void TimeoutNotQueued(ILogger logger, Exception exception, string callId);

    [LoggerMessage(2107, LogLevel.Warning, "Call {CallId}: could not remember the caller's pass in Table Storage; they are challenged next time")]
    public static partial void PassNotRemembered(ILogger logger, Exception exception, string callId);

    [LoggerMessage(2108, LogLevel.Information, "Call {CallId}: the challenge of rule {Rule} timed out after {Seconds} s without the key; hanging up")]
    public static partial void TimedOut(ILogger logger, string callId, string rule, int seconds);

    [LoggerMessage(2109, LogLevel.Warning, "Call {CallId}: could not read its challenge from Table Storage")]
    public static partial void ChallengeUnavailable(ILogger logger, Exception exception, string callId);

    [LoggerMessage(2110, LogLevel.Warning, "A message of the challenge queue is not a deadline ({Length} characters); dropped")]
    public static partial void UnreadableDeadline(ILogger logger, int length);
}
