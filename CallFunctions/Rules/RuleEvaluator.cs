using CallFunctions.Calls;

namespace CallFunctions.Rules;

/// <summary>
/// Decides what to do with a call. Pure: the rules, the call and the time in, a decision out. The time is an input
/// (the screener passes when the notification arrived) so that time rules can be explained and tested. Given a trace,
/// the evaluator also says what became of every rule the call's tenant sees: that is how a decision is explained.
/// Repeat conditions count the caller's earlier rings, also an input (<see cref="CallerRings"/>): null where they were
/// not counted (a later notification, or no Repeat rule in the caller's scope).
/// </summary>
public static class RuleEvaluator
{
    public static Decision Evaluate(
        RuleSet rules, CallContext call, CallStage stage, Fallback fallback, DateTimeOffset now, List<RuleVerdict>? trace = null,
        CallerRings? rings = null)
    {
        var rule = trace is null ? rules.For(call.TenantId, stage).FirstMatch(call, now, rings) : Traced(rules, call, stage, now, rings, trace);
        return rule is null ? Default(stage, fallback) : new Decision(rule.Action, rule.Payload, rule.Name);
    }

    public static Decision Default(CallStage stage, Fallback fallback) =>
        Actions.Of(fallback.Action).AppliesAtStage(stage)
            ? new Decision(fallback.Action, fallback.Payload, null)
            : new Decision(RuleAction.Allow, null, null);

    /// <summary>
    /// The plain walk the index stands in for: every rule of the call's scope in evaluation order, each with its verdict.
    /// The first rule that applies at this stage and matches decides.
    /// </summary>
    private static Rule? Traced(RuleSet rules, CallContext call, CallStage stage, DateTimeOffset now, CallerRings? rings, List<RuleVerdict> trace)
    {
        Rule? decided = null;
        foreach (var rule in rules.InScope(call.TenantId))
        {
            var action = rule.ActionText;
            if (!rule.Enabled)
            {
                trace.Add(new RuleVerdict(rule.Scope, rule.Name, rule.Priority, action, Verdict.Disabled, [], "Enabled is false"));
                continue;
            }
            if (Actions.Of(rule.Action) is var declared && !declared.AppliesAtStage(stage))
            {
                trace.Add(new RuleVerdict(rule.Scope, rule.Name, rule.Priority, action, Verdict.OtherStage, [], declared.OtherStageNote));
                continue;
            }
            var matches = Conditions.Matches(rule, call, now, rings);
            trace.Add(new RuleVerdict(rule.Scope, rule.Name, rule.Priority, action,
                decided is not null ? Verdict.NotReached : matches ? Verdict.Matched : Verdict.NoMatch, [.. Checks(rule, call, now, rings)]));
            if (matches) decided ??= rule;
        }
        foreach (var error in rules.ErrorsInScope(call.TenantId))
            trace.Add(new RuleVerdict(error.PartitionKey, error.RowKey, null, null, Verdict.BadRow, [], error.ToString()));
        return decided;
    }

    private static IEnumerable<ConditionCheck> Checks(Rule rule, CallContext call, DateTimeOffset now, CallerRings? rings)
    {
        if (rule.CallType != CallType.Any)
            yield return new ConditionCheck(Condition.CallType, rule.CallType.ToString(), Conditions.CallTypeHolds(rule.CallType, call.IsGroup),
                rule.Action == RuleAction.Challenge && call.IsGroup
                    ? $"the call is {call.Type}: a group-call invitation skips Challenge rules, which answer peer-to-peer calls only"
                    : $"the call is {call.Type}");
        if (rule.Caller is { } caller)
            yield return new ConditionCheck(Condition.Caller, caller.Text, caller.Matches(call.Source), $"caller {call.Source.Describe()}");
        if (rule.Callee is { } callee)
            yield return new ConditionCheck(Condition.Callee, callee.Text, callee.MatchesAny(call.Callees), $"callee {Callees(call)}");
        if (rule.Schedule is { } schedule)
            foreach (var check in schedule.Checks(now)) yield return check;
        if (rule.Repeat is { } repeat)
            yield return new ConditionCheck(Condition.Repeat, repeat.Text, Conditions.RepeatHolds(repeat, call, now, rings), RepeatDetail(repeat, call, now, rings));
    }

    private static string RepeatDetail(Repeat repeat, CallContext call, DateTimeOffset now, CallerRings? rings)
    {
        if (call.Source.IsAnonymous) return "anonymous callers are never counted together";
        if (rings is null) return "rings are counted when a call rings, not at its later notifications";
        if (rings.Unknown is { } why) return $"the rings could not be counted ({why}), so the condition does not hold";
        return $"ring {rings.CountWithin(repeat.Window, now)} of caller {call.Source} within {Repeat.Format(repeat.Window)}, this ring included";
    }

    private static string Callees(CallContext call)
    {
        var targets = string.Join("; ", call.Targets.Select(t => t.Describe()));
        var dialled = call.Routes.Where(r => r.IsForwarded).Select(r => r.Original.ToString()).ToList();
        return dialled.Count == 0 ? targets : $"{targets}; forwarded from {string.Join("; ", dialled)}";
    }
}
