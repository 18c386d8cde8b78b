namespace CallFunctions.Rules;

public enum RuleAction { Allow, Reject, HangUp }

public enum RejectReason { None, Busy, Forbidden }

public enum CallType { Any, PeerToPeer, Group }

/// <summary>A column of a rule that has to hold for the rule to match; the evaluator names the first that does not.</summary>
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
}

/// <summary>What the rules decided for a call; <see cref="Rule"/> is null when no rule matched and the default applied.</summary>
public sealed record Decision(RuleAction Action, RejectReason Reason, string? Rule)
{
    public const string DefaultRuleName = "(default)";

    public string RuleName => Rule ?? DefaultRuleName;
}
