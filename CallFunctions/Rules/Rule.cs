using System.Text.Json.Serialization;
using CallFunctions.Model;

namespace CallFunctions.Rules;

/// <summary>A column of a rule that has to hold for the rule to match; the evaluator names the first that does not.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Condition>))]
public enum Condition { CallType, Caller, Callee, Days, Hours, Dates }

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
    Schedule? Schedule = null)
{
    public const string DefaultScope = "default";

    /// <summary>The order rules are evaluated in: by priority, then by name.</summary>
    public static IEnumerable<Rule> InEvaluationOrder(IEnumerable<Rule> rules) =>
        rules.OrderBy(r => r.Priority).ThenBy(r => r.Name, StringComparer.Ordinal);

    /// <summary>A "default" rule applies to every tenant, any other to the tenant its scope names.</summary>
    public static bool ScopeCovers(string scope, string? tenantId) =>
        scope.Equals(DefaultScope, StringComparison.OrdinalIgnoreCase)
        || (tenantId is not null && scope.Equals(tenantId, StringComparison.OrdinalIgnoreCase));
}

/// <summary>What the rules decided for a call; <see cref="Rule"/> is null when no rule matched and the default applied.</summary>
public sealed record Decision(RuleAction Action, RejectReason Reason, string? Rule)
{
    public const string DefaultRuleName = "(default)";

    public string RuleName => Rule ?? DefaultRuleName;
}
