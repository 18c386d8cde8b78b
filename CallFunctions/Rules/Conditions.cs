using CallFunctions.Calls;

namespace CallFunctions.Rules;

/// <summary>
/// A rule's conditions against a call, cheapest first: what the evaluator, its trace and the index (<see
/// cref="RuleIndex"/>) ask of one rule. Pure, and calls nothing back.
/// </summary>
public static class Conditions
{
    public static bool Matches(Rule rule, CallContext call, DateTimeOffset now, CallerRings? rings = null) =>
        FirstMiss(rule, call, now, rings) is null;

    public static bool CallTypeHolds(CallType type, bool isGroup) => type switch
    {
        CallType.Group => isGroup,
        CallType.PeerToPeer => !isGroup,
        _ => true,
    };

    /// <summary>The first condition of the rule that does not hold, cheapest first; null when the rule matches.</summary>
    public static Condition? FirstMiss(Rule rule, CallContext call, DateTimeOffset now, CallerRings? rings = null)
    {
        if (!CallTypeHolds(rule.CallType, call.IsGroup)) return Condition.CallType;
        if (rule.Caller is { } caller && !caller.Matches(call.Source)) return Condition.Caller;
        if (rule.Callee is { } callee && !callee.MatchesAny(call.Callees)) return Condition.Callee;
        if (rule.Schedule?.Miss(now) is { } miss) return miss;
        return rule.Repeat is { } repeat && !RepeatHolds(repeat, call, now, rings) ? Condition.Repeat : null;
    }

    /// <summary>
    /// This ring is at least the Nth of its caller within the window. Not when the rings are unknown (not counted, or
    /// storage could not answer: the safe side for a condition that rejects), nor for an anonymous caller, whose rings
    /// cannot be told from anyone else's.
    /// </summary>
    public static bool RepeatHolds(Repeat repeat, CallContext call, DateTimeOffset now, CallerRings? rings) =>
        rings is { Unknown: null } && !call.Source.IsAnonymous && rings.CountWithin(repeat.Window, now) >= repeat.Count;
}
