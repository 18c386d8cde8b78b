using System.Text.Json.Serialization;
using CallFunctions.Model;

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
    public string ActionText => Decision.Text(Action.ToString(), Reason.ToString(), Redirect?.TargetText);
}

/// <summary>
/// What the rules decided for a call; <see cref="Rule"/> is null when no rule matched and the default applied.
/// <see cref="Redirect"/> says where a Redirect sends the call.
/// </summary>
public sealed record Decision(RuleAction Action, RejectReason Reason, string? Rule, Redirection? Redirect = null)
{
    public const string DefaultRuleName = "(default)";

    public string RuleName => Rule ?? DefaultRuleName;

    public string ActionText => Text(Action.ToString(), Reason.ToString(), Redirect?.TargetText);

    /// <summary>
    /// One spelling of an action with what it carries, for a decision and for a record's columns alike, so what-if
    /// compares like with like: <c>Reject Busy</c>, <c>Redirect to phone:+14255550100</c>, <c>HangUp</c>, <c>Allow</c>.
    /// </summary>
    public static string Text(string action, string? reason, string? target) => action switch
    {
        nameof(RuleAction.Reject) => $"Reject {reason ?? nameof(RejectReason.None)}",
        nameof(RuleAction.Redirect) => $"Redirect to {target}",
        _ => action,
    };
}

/// <summary>What happens when no rule matches: <c>Rules__DefaultAction</c>, with <c>Rules__DefaultTarget</c> for a Redirect.</summary>
public sealed record Fallback(RuleAction Action, Redirection? Redirect = null)
{
    public static implicit operator Fallback(RuleAction action) => new(action);
}
