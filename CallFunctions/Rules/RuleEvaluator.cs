using CallFunctions.Model;

namespace CallFunctions.Rules;

/// <summary>
/// Decides what to do with a call. Pure: the rules, the call and the time in, a decision out. The time is an input
/// (the screener passes when the notification arrived) so that time rules can be explained and tested. Given a trace,
/// the evaluator also says what became of every rule the call's tenant sees: that is how a decision is explained.
/// </summary>
public static class RuleEvaluator
{
    public static Decision Evaluate(
        RuleSet rules, CallContext call, Stage stage, RuleAction defaultAction, DateTimeOffset now, List<RuleVerdict>? trace = null)
    {
        var rule = trace is null ? rules.For(call.TenantId, stage).FirstMatch(call, now) : Traced(rules, call, stage, now, trace);
        return rule is null ? Default(stage, defaultAction) : new Decision(rule.Action, rule.Reason, rule.Name);
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

    /// <summary>
    /// The plain walk the index stands in for: every rule of the call's scope in evaluation order, each with its verdict.
    /// The first rule that applies at this stage and matches decides.
    /// </summary>
    private static Rule? Traced(RuleSet rules, CallContext call, Stage stage, DateTimeOffset now, List<RuleVerdict> trace)
    {
        Rule? decided = null;
        foreach (var rule in rules.InScope(call.TenantId))
        {
            var action = rule.Action == RuleAction.Reject ? $"Reject {rule.Reason}" : rule.Action.ToString();
            if (!rule.Enabled)
            {
                trace.Add(new RuleVerdict(rule.Scope, rule.Name, rule.Priority, action, Verdict.Disabled, [], "Enabled is false"));
                continue;
            }
            if (!AppliesAt(rule.Action, stage))
            {
                trace.Add(new RuleVerdict(rule.Scope, rule.Name, rule.Priority, action, Verdict.OtherStage, [], rule.Action == RuleAction.HangUp
                    ? "HangUp rules apply once the bot is in the call, not to a ringing call"
                    : "Reject rules apply to ringing calls only"));
                continue;
            }
            var matches = Matches(rule, call, now);
            trace.Add(new RuleVerdict(rule.Scope, rule.Name, rule.Priority, action,
                decided is not null ? Verdict.NotReached : matches ? Verdict.Matched : Verdict.NoMatch, [.. Checks(rule, call, now)]));
            if (matches) decided ??= rule;
        }
        foreach (var error in rules.ErrorsInScope(call.TenantId))
            trace.Add(new RuleVerdict(error.PartitionKey, error.RowKey, null, null, Verdict.BadRow, [], error.ToString()));
        return decided;
    }

    private static IEnumerable<ConditionCheck> Checks(Rule rule, CallContext call, DateTimeOffset now)
    {
        if (rule.CallType != CallType.Any)
            yield return new ConditionCheck(Condition.CallType, rule.CallType.ToString(), CallTypeHolds(rule.CallType, call.IsGroup),
                $"the call is {call.Type}");
        if (rule.Caller is { } caller)
            yield return new ConditionCheck(Condition.Caller, caller.Text, caller.Matches(call.Source), $"caller {call.Source.Describe()}");
        if (rule.Callee is { } callee)
            yield return new ConditionCheck(Condition.Callee, callee.Text, callee.MatchesAny(call.Callees), $"callee {Callees(call)}");
        if (rule.Schedule is { } schedule)
            foreach (var check in schedule.Checks(now)) yield return check;
    }

    private static string Callees(CallContext call)
    {
        var targets = string.Join("; ", call.Targets.Select(t => t.Describe()));
        var dialled = call.Routes.Where(r => r.IsForwarded).Select(r => r.Original.ToString()).ToList();
        return dialled.Count == 0 ? targets : $"{targets}; forwarded from {string.Join("; ", dialled)}";
    }
}
