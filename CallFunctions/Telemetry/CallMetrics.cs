using System.Diagnostics;
using System.Diagnostics.Metrics;
using CallFunctions.Rules;

namespace CallFunctions.Telemetry;

/// <summary>What an operator watches: decisions by action and rule, Graph requests, rule-cache age, records written.</summary>
public sealed class CallMetrics
{
    public const string Name = "CallFunctions";

    /// <summary>One span per notification handled; Graph and Table Storage requests nest under it.</summary>
    public static readonly ActivitySource Traces = new(Name);

    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _graphDuration;
    private readonly Counter<long> _recordsWritten;

    public CallMetrics(IMeterFactory meters, RuleCache rules, TimeProvider clock)
    {
        var meter = meters.Create(Name);
        _decisions = meter.CreateCounter<long>("callfunctions.decisions", "{call}", "Calls decided, by action and rule");
        _graphDuration = meter.CreateHistogram<double>("callfunctions.graph.duration", "ms", "Graph requests (each attempt), by action and status");
        _recordsWritten = meter.CreateCounter<long>("callfunctions.records.written", "{record}", "Call records written, by kind");
        meter.CreateObservableGauge("callfunctions.rules.cache_age", () =>
            rules.LoadedAt is { } loaded ? (clock.GetUtcNow() - loaded).TotalSeconds : double.NaN, "s",
            "Seconds since the rules in use were read from the table");
    }

    public void Decided(RuleAction action, string rule) =>
        _decisions.Add(1, new("action", action.ToString()), new("rule", rule));

    public void GraphRequest(string action, int status, TimeSpan duration) =>
        _graphDuration.Record(duration.TotalMilliseconds, new("action", action), new("status", status));

    /// <summary><paramref name="kind"/>: decision, termination, or held (kept on disk while storage is down).</summary>
    public void RecordWritten(string kind) => _recordsWritten.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
