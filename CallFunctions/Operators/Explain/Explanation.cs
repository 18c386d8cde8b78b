using System.Text.Json.Serialization;
using CallFunctions.Calls;
using CallFunctions.Rules;

namespace CallFunctions.Operators.Explain;

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
    string Stage,
    string? Note = null,
    string? Caller = null,
    IReadOnlyList<string>? Callees = null,
    IReadOnlyList<string>? Routes = null,
    string? CallType = null,
    string? TenantId = null,
    IReadOnlyList<RuleVerdict>? Rules = null,
    DecisionView? Decision = null);

/// <summary>
/// The decision as explain shows it: its action and what the action carries. A Challenge also gives its key, prompt
/// and Remember, and whether the caller is remembered as having passed (then redirected at the ring, not challenged).
/// </summary>
public sealed record DecisionView(
    [property: JsonConverter(typeof(JsonStringEnumConverter<RuleAction>))] RuleAction Action, string? Reason, string Rule, string? Target = null, int? Timeout = null)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Prompt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Remember { get; init; }

    /// <summary>"remembered, passed at …": the caller passed this rule's challenge within its Remember.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Remembered { get; init; }

    public static DecisionView From(Decision decision) => decision.Payload is ChallengeTerms terms
        ? new(decision.Action, null, decision.RuleName, decision.Taken.Target, terms.TimeoutSeconds)
        {
            Key = terms.Key,
            Prompt = terms.PromptOrDefault,
            Remember = terms.Remember is { } remember ? ChallengeTerms.FormatRemember(remember) : null,
        }
        : new(decision.Action, decision.Taken.Reason, decision.RuleName, decision.Taken.Target, (decision.Payload as Redirection)?.TimeoutSeconds);
}

/// <summary>
/// The stage explain answers for an item: a call's <see cref="CallStage"/> in camelCase (<c>incoming</c>,
/// <c>active</c>, <c>terminating</c>, <c>terminated</c>), or what keeps an item that is no call from having one.
/// </summary>
public static class ExplainedItem
{
    public const string Ignored = "ignored";
    public const string Invalid = "invalid";

    public static string Of(CallStage stage) => CamelCaseEnum<CallStage>.Name(stage);
}
