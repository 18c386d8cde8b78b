using System.Text.Json.Serialization;
using CallFunctions.Calls;

namespace CallFunctions.Rules;

/// <summary>A column of a rule that has to hold for the rule to match; the evaluator names the first that does not.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Condition>))]
public enum Condition { CallType, Caller, Callee, Days, Hours, Dates, Repeat }

/// <summary>One row of the rules table, parsed. <see cref="Scope"/> is the PartitionKey: "default" or a tenant id.</summary>
public sealed record Rule(
    string Scope,
    string Name,
    int Priority,
    bool Enabled,
    RuleAction Action,
    ActionPayload? Payload,
    Pattern? Caller,
    Pattern? Callee,
    CallType CallType,
    Schedule? Schedule = null,
    Repeat? Repeat = null)
{
    /// <summary>What the action carries (<see cref="Rejection"/>, <see cref="Redirection"/>), or its default.</summary>
    public ActionPayload? Payload { get; } = Payload ?? Actions.Of(Action).DefaultPayload;

    public T PayloadAs<T>() where T : ActionPayload =>
        Payload as T ?? throw new InvalidOperationException($"A {Action} rule carries no {typeof(T).Name}.");

    public const string DefaultScope = "default";

    /// <summary>The order rules are evaluated in: by priority, then by name.</summary>
    public static IEnumerable<Rule> InEvaluationOrder(IEnumerable<Rule> rules) =>
        rules.OrderBy(r => r.Priority).ThenBy(r => r.Name, StringComparer.Ordinal);

    /// <summary>A "default" rule applies to every tenant, any other to the tenant its scope names.</summary>
    public static bool ScopeCovers(string scope, string? tenantId) =>
        scope.Equals(DefaultScope, StringComparison.OrdinalIgnoreCase)
        || (tenantId is not null && scope.Equals(tenantId, StringComparison.OrdinalIgnoreCase));

    /// <summary>As explanations show the rule's action: <c>Reject Busy</c>, <c>Redirect to phone:+1…</c>, <c>HangUp</c>.</summary>
    public string ActionText => DecidedAction.Of(Action, Payload).ToString();
}

/// <summary>
/// What the rules decided for a call, with what the action carries (a Reject's reason, where a Redirect sends the call);
/// <see cref="Rule"/> is null when no rule matched and the default applied.
/// </summary>
public sealed record Decision(RuleAction Action, ActionPayload? Payload, string? Rule)
{
    public ActionPayload? Payload { get; } = Payload ?? Actions.Of(Action).DefaultPayload;

    /// <summary>
    /// The rule a decision names (and its record keeps) when no rule matched: the default action decided. Not
    /// <c>(none)</c>, which says no decision was recorded at all.
    /// </summary>
    public const string DefaultRuleName = "(default)";

    public string RuleName => Rule ?? DefaultRuleName;

    /// <summary>The action with what it carries, spelled as the record keeps it and what-if compares it.</summary>
    public DecidedAction Taken => DecidedAction.Of(Action, Payload);

    /// <summary>What the action carries, as the Graph request that takes it needs it.</summary>
    public T PayloadAs<T>() where T : ActionPayload =>
        Payload as T ?? throw new InvalidOperationException($"A {Action} decision carries no {typeof(T).Name}.");

    public string ActionText => Taken.ToString();
}

/// <summary>What happens when no rule matches: <c>Rules__DefaultAction</c>, with <c>Rules__DefaultTarget</c> for a Redirect.</summary>
public sealed record Fallback(RuleAction Action, ActionPayload? Payload = null)
{
    public static implicit operator Fallback(RuleAction action) => new(action);
}
