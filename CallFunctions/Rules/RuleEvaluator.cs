namespace CallFunctions.Rules;

/// <summary>
/// Decides what to do with a call. Pure: the rules, the call and the time in, a decision out. The time is an input
/// (the screener passes when the notification arrived) so that time rules can be explained and tested.
/// </summary>
public static class RuleEvaluator
{
    public static Decision Evaluate(RuleSet rules, CallContext call, Stage stage, RuleAction defaultAction, DateTimeOffset now)
    {
        if (rules.For(call.TenantId, stage).FirstMatch(call, now) is { } rule)
            return new Decision(rule.Action, rule.Reason, rule.Name);
        return Default(stage, defaultAction);
    }

    public static Decision Default(Stage stage, RuleAction defaultAction) =>
        AppliesAt(defaultAction, stage)
            ? new Decision(defaultAction, RejectReason.None, null)
            : new Decision(RuleAction.Allow, RejectReason.None, null);

    public static bool AppliesAt(RuleAction action, Stage stage) => action switch
    {
        RuleAction.Allow => true,
        RuleAction.Reject => stage == Stage.Incoming,
        RuleAction.HangUp => stage == Stage.Active,
        _ => false,
    };

    public static bool Matches(Rule rule, CallContext call, DateTimeOffset now) => FirstMiss(rule, call, now) is null;

    public static bool CallTypeHolds(CallType type, bool isGroup) => type switch
    {
        CallType.Group => isGroup,
        CallType.PeerToPeer => !isGroup,
        _ => true,
    };

    /// <summary>The first condition of the rule that does not hold, cheapest first; null when the rule matches.</summary>
    public static Condition? FirstMiss(Rule rule, CallContext call, DateTimeOffset now)
    {
        if (!CallTypeHolds(rule.CallType, call.IsGroup)) return Condition.CallType;
        if (rule.Caller is { } caller && !caller.Matches(call.Source)) return Condition.Caller;
        if (rule.Callee is { } callee && !callee.MatchesAny(call.Callees)) return Condition.Callee;
        return rule.Schedule?.Miss(now);
    }
}
