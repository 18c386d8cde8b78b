namespace CallFunctions.Rules;

/// <summary>Decides what to do with a call. Pure: the rules and the call in, a decision out.</summary>
public static class RuleEvaluator
{
    public static Decision Evaluate(RuleSet rules, CallContext call, Stage stage, RuleAction defaultAction)
    {
        if (rules.For(call.TenantId, stage).FirstMatch(call) is { } rule)
            return new Decision(rule.Action, rule.Reason, rule.Name);
        return AppliesAt(defaultAction, stage)
            ? new Decision(defaultAction, RejectReason.None, null)
            : new Decision(RuleAction.Allow, RejectReason.None, null);
    }

    public static bool AppliesAt(RuleAction action, Stage stage) => action switch
    {
        RuleAction.Allow => true,
        RuleAction.Reject => stage == Stage.Incoming,
        RuleAction.HangUp => stage == Stage.Active,
        _ => false,
    };

    public static bool Matches(Rule rule, CallContext call)
    {
        if (rule.CallType == CallType.Group && !call.IsGroup) return false;
        if (rule.CallType == CallType.PeerToPeer && call.IsGroup) return false;
        if (rule.Caller is { } caller && !caller.Matches(call.Source)) return false;
        if (rule.Callee is { } callee && !call.Targets.Any(callee.Matches)) return false;
        return true;
    }
}
