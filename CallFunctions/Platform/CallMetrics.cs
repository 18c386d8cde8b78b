using System.Diagnostics;
using System.Diagnostics.Metrics;
using CallFunctions.Calls;

namespace CallFunctions.Platform;

/// <summary>Which write of a call record: the decision, the termination, or held on disk while storage is down.</summary>
public enum RecordKind { Decision, Termination, Held }

/// <summary>
/// What an operator watches: decisions by action and rule, Graph requests, records written (the rules' cache age is
/// the rules' own gauge on the same meter), and one span per notification.
/// </summary>
public sealed class CallMetrics : IDisposable
{
    public const string Name = "CallFunctions";

    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _graphDuration;
    private readonly Counter<long> _recordsWritten;
    private readonly Counter<long> _recordsLeft;
    private readonly Counter<long> _challenges;
    private readonly Counter<long> _notReported;

    public CallMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _decisions = meter.CreateCounter<long>("callfunctions.decisions", "{call}", "Calls decided, by action and rule");
        _graphDuration = meter.CreateHistogram<double>("callfunctions.graph.duration", "ms", "Graph requests (each attempt), by action and status");
        _recordsWritten = meter.CreateCounter<long>("callfunctions.records.written", "{record}", "Call records written, by kind");
        _recordsLeft = meter.CreateCounter<long>("callfunctions.records.left_at_shutdown", "{record}",
            "Call records still held on local disk when the instance stopped: lost if its disk goes with it");
        _challenges = meter.CreateCounter<long>("callfunctions.challenges", "{call}",
            "Challenges by result (started, passed, failed, timeout, callerLeft, transferFailed, remembered) and rule");
        _notReported = meter.CreateCounter<long>("callfunctions.records.ended_not_reported", "{call}",
            "Calls whose end Graph never reported, closed by the reconciler after Graph answered 404");
    }

    /// <summary>One span per notification handled; Graph and Table Storage requests nest under it.</summary>
    public ActivitySource Traces { get; } = new(Name);

    public void Decided(RuleAction action, string rule) =>
        _decisions.Add(1, new("action", action.ToString()), new("rule", rule));

    /// <summary><paramref name="request"/> is the request's name (Reject, HangUp, Answer, PlayPrompt…), tagged in lower case: reject, hangup.</summary>
    public void GraphRequest(string request, int status, TimeSpan duration) =>
        _graphDuration.Record(duration.TotalMilliseconds, new("action", request.ToLowerInvariant()), new("status", status));

    /// <summary>A challenge's step: started (the call answered), passed, failed, timeout, callerLeft, transferFailed, remembered.</summary>
    public void Challenge(string result, string rule) =>
        _challenges.Add(1, new("result", result), new("rule", rule));

    public void RecordWritten(RecordKind kind) =>
        _recordsWritten.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString().ToLowerInvariant()));

    public void EndedNotReported() => _notReported.Add(1);

    public void RecordsLeftAtShutdown(int count) => _recordsLeft.Add(count);

    public void Dispose() => Traces.Dispose();
}
