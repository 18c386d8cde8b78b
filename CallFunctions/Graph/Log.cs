using CallFunctions.Calls;

namespace CallFunctions.Graph;

internal static partial class Log
{
    // Debug: a success is in the call's record (GraphStatus, GraphAttempts) and the graph.duration metric; the decision's
    // own line (2101) says what was done. One line per call at Information, not two: each costs the worker and the host.
    [LoggerMessage(2001, LogLevel.Debug, "Graph {Action} of call {CallId} answered {Status} after {Attempts} attempt(s)")]
    public static partial void GraphDone(ILogger logger, string action, string callId, int status, int attempts);

    [LoggerMessage(2002, LogLevel.Information, "Graph {Action} of call {CallId}: the call is already gone (404)")]
    public static partial void CallGone(ILogger logger, string action, string callId);

    [LoggerMessage(2003, LogLevel.Error,
        "Graph refused {Action} of call {CallId} with {Status}: the app registration likely lacks the {Permission} application permission or admin consent, or Graph__TenantId/Graph__ClientId are wrong")]
    public static partial void GraphDenied(ILogger logger, string action, string callId, int status, string permission);

    [LoggerMessage(2004, LogLevel.Error, "Graph {Action} of call {CallId} failed with {Status} after {Attempts} attempt(s)")]
    public static partial void GraphFailed(ILogger logger, string action, string callId, int status, int attempts);

    [LoggerMessage(2005, LogLevel.Warning, "Graph {Action} of call {CallId} answered {Status}; retrying in {DelayMs} ms (attempt {Attempt})")]
    public static partial void Retrying(ILogger logger, string action, string callId, int status, double delayMs, int attempt);

    [LoggerMessage(2006, LogLevel.Warning,
        "Graph {Action} of call {CallId} answered {Status} at attempt {Attempt}, and a retry could not finish before the call's deadline")]
    public static partial void NoTimeToRetry(ILogger logger, string action, string callId, int status, int attempt);

    [LoggerMessage(2007, LogLevel.Warning, "Graph {Action} of call {CallId} got no answer at attempt {Attempt}")]
    public static partial void GraphUnreachable(ILogger logger, Exception exception, string action, string callId, int attempt);
}
