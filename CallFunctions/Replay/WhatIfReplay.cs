using Azure.Data.Tables;
using CallFunctions.Model;
using CallFunctions.Outcomes;
using CallFunctions.Rules;
using C = CallFunctions.Outcomes.CallRecord.Columns;

namespace CallFunctions.Replay;

/// <summary>A call whose decision the other rules would change: what was decided, and what would be.</summary>
public sealed record ChangedCall(string CallId, string? Caller, DateTimeOffset ReceivedAt, string OldRule, string OldAction, string NewRule, string NewAction);

/// <summary>A call of the period that cannot be replayed, and why: its record lacks what the rules look at.</summary>
public sealed record CallWithoutContext(string CallId, string? Caller, DateTimeOffset? At, string Why);

public sealed record WhatIfReport(
    DateTimeOffset From, DateTimeOffset To, int Calls, int Replayed,
    IReadOnlyList<ChangedCall> Changed, IReadOnlyList<CallWithoutContext> WithoutContext);

/// <summary>
/// Replays recorded calls through the same evaluator as the webhook, each at the time it rang. Pure: the records, the
/// rules and the period in, the differences out.
/// </summary>
public static class WhatIfReplay
{
    public const string NoIncoming = "no incoming notification was recorded (only its end): the caller, callee and call type are unknown";
    public const string NoDecision = "the record holds no decision to compare with";

    public static WhatIfReport Replay(IEnumerable<TableEntity> records, RuleSet rules, RuleAction defaultAction, DateTimeOffset from, DateTimeOffset to)
    {
        var changed = new List<ChangedCall>();
        var without = new List<CallWithoutContext>();
        var calls = 0;
        foreach (var record in records)
        {
            var callId = record.GetString(C.CallId) ?? record.PartitionKey;
            var caller = record.GetString(C.Caller);
            var receivedAt = record.GetDateTimeOffset(C.ReceivedAt);
            if (receivedAt is null || record.GetString(C.CallType) is null)
            {
                // Only calls that ended in the period are listed: a call that rang in the period is listed by its ring.
                if (record.GetDateTimeOffset(C.TerminatedAt) is { } ended && ended >= from && ended < to)
                {
                    calls++;
                    without.Add(new CallWithoutContext(callId, caller, ended, NoIncoming));
                }
                continue;
            }
            if (receivedAt < from || receivedAt >= to) continue;
            calls++;
            if (record.GetString(C.Action) is not { } oldAction)
            {
                without.Add(new CallWithoutContext(callId, caller, receivedAt, NoDecision));
                continue;
            }
            var oldText = ActionText(oldAction, record.GetString(C.Reason));
            var oldRule = record.GetString(C.Rule) ?? Decision.DefaultRuleName;
            var decision = Decide(rules, CallRecord.Context(record), defaultAction, receivedAt.Value,
                oldAction == nameof(RuleAction.HangUp) ? record.GetDateTimeOffset(C.DecidedAt) ?? receivedAt.Value : receivedAt.Value);
            var newText = ActionText(decision.Action.ToString(), decision.Action == RuleAction.Reject ? decision.Reason.ToString() : null);
            if (newText != oldText || decision.RuleName != oldRule)
                changed.Add(new ChangedCall(callId, caller, receivedAt.Value, oldRule, oldText, decision.RuleName, newText));
        }
        return new WhatIfReport(from, to, calls, calls - without.Count,
            [.. changed.OrderByDescending(c => c.ReceivedAt).ThenBy(c => c.CallId, StringComparer.Ordinal)],
            [.. without.OrderByDescending(c => c.At).ThenBy(c => c.CallId, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// What the webhook would have done: the ring decides first (a reject ends the call); a call not rejected meets the
    /// HangUp rules at its next notification, replayed when the recorded hang-up happened, or else when it rang.
    /// </summary>
    private static Decision Decide(RuleSet rules, CallContext call, RuleAction defaultAction, DateTimeOffset rang, DateTimeOffset active)
    {
        var incoming = RuleEvaluator.Evaluate(rules, call, Stage.Incoming, defaultAction, rang);
        if (incoming.Action == RuleAction.Reject) return incoming;
        var later = RuleEvaluator.Evaluate(rules, call, Stage.Active, defaultAction, active);
        return later.Action == RuleAction.HangUp ? later : incoming;
    }

    private static string ActionText(string action, string? reason) =>
        action == nameof(RuleAction.Reject) ? $"Reject {reason ?? nameof(RejectReason.None)}" : action;
}
