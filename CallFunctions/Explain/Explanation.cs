using System.Text.Json.Serialization;
using CallFunctions.Model;
using CallFunctions.Rules;

namespace CallFunctions.Explain;

/// <summary>What the handler would do with a notification envelope at a given time, and why.</summary>
public sealed record ExplainReport(
    DateTimeOffset At, DateTimeOffset? RulesLoadedAt, string DefaultAction, IReadOnlyList<CallExplanation> Items, string? DefaultTarget = null);

/// <summary>
/// One notification of the envelope: what is known of the call, every rule its tenant sees with its verdict, and the
/// decision. <see cref="Stage"/> is <c>incoming</c> or <c>active</c> when rules apply; otherwise <see cref="Note"/> says why not.
/// </summary>
public sealed record CallExplanation(
    int Index,
    string? CallId,
    ExplainedStage Stage,
    string? Note = null,
    string? Caller = null,
    IReadOnlyList<string>? Callees = null,
    IReadOnlyList<string>? Routes = null,
    string? CallType = null,
    string? TenantId = null,
    IReadOnlyList<RuleVerdict>? Rules = null,
    DecisionView? Decision = null);

public sealed record DecisionView([property: JsonConverter(typeof(JsonStringEnumConverter<RuleAction>))] RuleAction Action, string? Reason, string Rule, string? Target = null, int? Timeout = null)
{
    public static DecisionView From(Decision decision) => new(
        decision.Action,
        decision.Action == RuleAction.Reject ? decision.Reason.ToString() : null,
        decision.RuleName,
        decision.Redirect?.TargetText,
        decision.Redirect?.TimeoutSeconds);
}

/// <summary>Where a notification stands: rules apply to an incoming or an active call, to nothing else.</summary>
[JsonConverter(typeof(CamelCaseEnum<ExplainedStage>))]
public enum ExplainedStage
{
    Incoming,
    Active,
    Terminating,
    Terminated,
    Ignored,
    Invalid,
}
