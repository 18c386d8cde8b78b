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
    RejectReason Reason,
    Pattern? Caller,
    Pattern? Callee,
    CallType CallType,
    Schedule? Schedule = null,
    Redirection? Redirect = null,
    Repeat? Repeat = null)
{
    public const string DefaultScope = "default";

    /// <summary>The order rules are evaluated in: by priority, then by name.</summary>
    public static IEnumerable<Rule> InEvaluationOrder(IEnumerable<Rule> rules) =>
        rules.OrderBy(r => r.Priority).ThenBy(r => r.Name, StringComparer.Ordinal);

    /// <summary>A "default" rule applies to every tenant, any other to the tenant its scope names.</summary>
    public static bool ScopeCovers(string scope, string? tenantId) =>
        scope.Equals(DefaultScope, StringComparison.OrdinalIgnoreCase)
        || (tenantId is not null && scope.Equals(tenantId, StringComparison.OrdinalIgnoreCase));

    /// <summary>As explanations show the rule's action: <c>Reject Busy</c>, <c>Redirect to phone:+1…</c>, <c>HangUp</c>.</summary>
    public string ActionText => new DecidedAction(Action, Reason.ToString(), Redirect?.TargetText).ToString();
}

/// <summary>
/// What the rules decided for a call; <see cref="Rule"/> is null when no rule matched and the default applied.
/// <see cref="Redirect"/> says where a Redirect sends the call.
/// </summary>
public sealed record Decision(RuleAction Action, RejectReason Reason, string? Rule, Redirection? Redirect = null)
{
    /// <summary>
    /// The rule a decision names (and its record keeps) when no rule matched: the default action decided. Not
    /// <c>(none)</c>, which says no decision was recorded at all.
    /// </summary>
    public const string DefaultRuleName = "(default)";

    public string RuleName => Rule ?? DefaultRuleName;

    /// <summary>The action with what it carries, spelled as the record keeps it and what-if compares it.</summary>
    public DecidedAction Taken => new(Action, Reason.ToString(), Redirect?.TargetText);

    public string ActionText => Taken.ToString();
}

/// <summary>What happens when no rule matches: <c>Rules__DefaultAction</c>, with <c>Rules__DefaultTarget</c> for a Redirect.</summary>
public sealed record Fallback(RuleAction Action, Redirection? Redirect = null)
{
    public static implicit operator Fallback(RuleAction action) => new(action);
}
