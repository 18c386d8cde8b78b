using System.Globalization;
using CallFunctions.Notifications;

namespace CallFunctions.Rules;

/// <summary>One condition of a rule checked against a call: the column, its value, whether it holds, and what was compared.</summary>
public sealed record ConditionCheck(string Column, string Value, bool Holds, string Detail);

/// <summary>
/// What became of one rule: <c>matched</c>, <c>noMatch</c>, <c>notReached</c> (an earlier rule decided), <c>disabled</c>,
/// <c>otherStage</c> (a Reject rule on a call already answered, a HangUp rule on a ringing call), <c>badRow</c>.
/// </summary>
public sealed record RuleVerdict(string Scope, string Name, int? Priority, string? Action, string Verdict,
    IReadOnlyList<ConditionCheck> Conditions, string? Note = null);

/// <summary>
/// Explains a decision: every rule the call's tenant sees, in evaluation order, with each condition checked. Pure, like
/// the evaluator; the decision itself comes from <see cref="RuleEvaluator.Evaluate"/>, so explained and real agree.
/// </summary>
public static class RuleExplainer
{
    public static (IReadOnlyList<RuleVerdict> Rules, Decision Decision) Explain(
        RuleSet rules, CallContext call, Stage stage, RuleAction defaultAction, DateTimeOffset now)
    {
        var decision = RuleEvaluator.Evaluate(rules, call, stage, defaultAction, now);
        var verdicts = new List<RuleVerdict>();
        var decided = false;
        foreach (var rule in rules.Rules.Where(r => InScope(r.Scope, call.TenantId))
                     .OrderBy(r => r.Priority).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            var action = rule.Action == RuleAction.Reject ? $"Reject {rule.Reason}" : rule.Action.ToString();
            if (!rule.Enabled)
            {
                verdicts.Add(new RuleVerdict(rule.Scope, rule.Name, rule.Priority, action, "disabled", [], "Enabled is false"));
                continue;
            }
            if (!RuleEvaluator.AppliesAt(rule.Action, stage))
            {
                verdicts.Add(new RuleVerdict(rule.Scope, rule.Name, rule.Priority, action, "otherStage", [], rule.Action == RuleAction.HangUp
                    ? "HangUp rules apply once the bot is in the call, not to a ringing call"
                    : "Reject rules apply to ringing calls only"));
                continue;
            }
            var matches = RuleEvaluator.Matches(rule, call, now);
            var verdict = decided ? "notReached" : matches ? "matched" : "noMatch";
            decided |= matches;
            verdicts.Add(new RuleVerdict(rule.Scope, rule.Name, rule.Priority, action, verdict, [.. Checks(rule, call, now)]));
        }
        foreach (var error in rules.Errors.Where(e => InScope(e.PartitionKey, call.TenantId)))
            verdicts.Add(new RuleVerdict(error.PartitionKey, error.RowKey, null, null, "badRow", [], error.ToString()));
        return (verdicts, decision);
    }

    private static bool InScope(string scope, string? tenantId) =>
        scope.Equals(Rule.DefaultScope, StringComparison.OrdinalIgnoreCase)
        || (tenantId is not null && scope.Equals(tenantId, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<ConditionCheck> Checks(Rule rule, CallContext call, DateTimeOffset now)
    {
        if (rule.CallType != CallType.Any)
            yield return new ConditionCheck("CallType", rule.CallType.ToString(), RuleEvaluator.CallTypeHolds(rule.CallType, call.IsGroup),
                $"the call is {(call.IsGroup ? CallType.Group : CallType.PeerToPeer)}");
        if (rule.Caller is { } caller)
            yield return new ConditionCheck("Caller", caller.Text, caller.Matches(call.Source), $"caller {Describe(call.Source)}");
        if (rule.Callee is { } callee)
            yield return new ConditionCheck("Callee", callee.Text, callee.MatchesAny(call.Callees), $"callee {Callees(call)}");
        if (rule.Schedule is { } schedule)
            foreach (var check in ScheduleChecks(schedule, now)) yield return check;
    }

    private static IEnumerable<ConditionCheck> ScheduleChecks(Schedule schedule, DateTimeOffset now)
    {
        var local = schedule.LocalTime(now);
        var today = DateOnly.FromDateTime(local);
        var zone = schedule.Zone == TimeZoneInfo.Utc ? "UTC" : schedule.Zone.Id;
        var at = $"{DaySet.Name(local.DayOfWeek)} {local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} in {zone}";
        // Days and Dates are checked on the day the holding range started: yesterday, after midnight in a night range.
        var startDays = schedule.Hours?.Select(r => r.StartDay(local.TimeOfDay, today)).OfType<DateOnly>().Distinct().ToList() ?? [today];
        var days = startDays.Count > 0 ? startDays : [today];
        var dayText = string.Join(" or ", days.Select(d => $"{DaySet.Name(d.DayOfWeek)} {d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"));
        var dayDetail = days.SequenceEqual([today]) ? $"the day is {dayText} ({at})" : $"the range started on {dayText} ({at})";

        if (schedule.Hours is { } hours)
            yield return new ConditionCheck("Hours", string.Join(",", hours), startDays.Count > 0, $"local time {at}");
        if (schedule.Days is { } set)
            yield return new ConditionCheck("Days", set.ToString(), days.Any(d => set.Contains(d.DayOfWeek)), dayDetail);
        if (schedule.Dates is { } dates)
            yield return new ConditionCheck("Dates", string.Join(",", dates), days.Any(d => dates.Any(r => r.Contains(d))), dayDetail);
    }

    public static string Describe(Party party) =>
        party.Identities.Count == 0 ? "(none: anonymous)" : party.IsAnonymous ? $"{party} (anonymous)" : party.ToString();

    private static string Callees(CallContext call)
    {
        var targets = string.Join("; ", call.Targets.Select(Describe));
        var dialled = call.Routes.Where(r => r.IsForwarded).Select(r => r.Original.ToString()).ToList();
        return dialled.Count == 0 ? targets : $"{targets}; forwarded from {string.Join("; ", dialled)}";
    }
}
