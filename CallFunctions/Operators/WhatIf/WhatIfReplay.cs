using CallFunctions.Calls;
using CallFunctions.Records;
using CallFunctions.Rules;
using CallFunctions.Screening;

namespace CallFunctions.Operators.WhatIf;

/// <summary>
/// A call whose decision the other rules would change: what was decided, and what would be. Its actions answer as
/// their text: <c>"oldAction":"Reject Busy"</c>.
/// </summary>
public sealed record ChangedCall(string CallId, string? Caller, DateTimeOffset ReceivedAt, string OldRule, DecidedAction OldAction, string NewRule, DecidedAction NewAction);

/// <summary>A call of the period that cannot be replayed, and why: its record lacks what the rules look at.</summary>
public sealed record CallWithoutContext(string CallId, string? Caller, DateTimeOffset? At, string Why);

public sealed record WhatIfReport(
    DateTimeOffset From, DateTimeOffset To, int Calls, int Replayed,
    IReadOnlyList<ChangedCall> Changed, IReadOnlyList<CallWithoutContext> WithoutContext);

/// <summary>
/// Replays recorded calls through the same evaluator as the webhook, each at the time it rang. Pure: the records, the
/// rules and the period in, the differences out. Repeat conditions count the period's recorded rings in the order they
/// rang: each replayed ring sees its caller's rings before it (none from before the period).
/// </summary>
public static class WhatIfReplay
{
    public const string NoIncoming = "no incoming notification was recorded (only its end): the caller, callee and call type are unknown";
    public const string NoDecision = "the record holds no decision to compare with";

    public static WhatIfReport Replay(IEnumerable<CallRecord> records, RuleSet rules, Fallback fallback, DateTimeOffset from, DateTimeOffset to)
    {
        var changed = new List<ChangedCall>();
        var without = new List<CallWithoutContext>();
        var calls = 0;
        var rings = new Dictionary<string, List<DateTimeOffset>>(StringComparer.Ordinal);
        foreach (var record in records.OrderBy(r => r.ReceivedAt ?? DateTimeOffset.MaxValue).ThenBy(r => r.CallId, StringComparer.Ordinal))
        {
            var callId = record.CallId;
            var caller = record.Caller;
            var receivedAt = record.ReceivedAt;
            if (receivedAt is null || record.CallType is null)
            {
                // Only calls that ended in the period are listed: a call that rang in the period is listed by its ring.
                if (record.Ended?.At is { } ended && ended >= from && ended < to)
                {
                    calls++;
                    without.Add(new CallWithoutContext(callId, caller, ended, NoIncoming));
                }
                continue;
            }
            if (receivedAt < from || receivedAt >= to) continue;
            calls++;
            var context = record.Context;
            var earlier = Rang(rings, context.Source, receivedAt.Value);
            // An action this app does not know is no decision to compare with, as the summary counts it "(none)".
            if (record.Decided is not { Taken: { } oldAction } old)
            {
                without.Add(new CallWithoutContext(callId, caller, receivedAt, NoDecision));
                continue;
            }
            var decision = Decide(rules, callId, context, fallback, receivedAt.Value,
                old.OnlyWhileActive ? old.DecidedAt ?? receivedAt.Value : receivedAt.Value, earlier);
            if (decision.Taken != oldAction || decision.RuleName != old.RuleName)
                changed.Add(new ChangedCall(callId, caller, receivedAt.Value, old.RuleName, oldAction, decision.RuleName, decision.Taken));
        }
        return new WhatIfReport(from, to, calls, calls - without.Count,
            [.. changed.OrderByDescending(c => c.ReceivedAt).ThenBy(c => c.CallId, StringComparer.Ordinal)],
            [.. without.OrderByDescending(c => c.At).ThenBy(c => c.CallId, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// What the webhook would have done, through its own step (<see cref="CallStep"/>): the ring decides first (a reject
    /// ends the call); a call not rejected meets the HangUp rules at its next notification, merged with what its record
    /// knows, replayed when the recorded hang-up happened, or else when it rang.
    /// </summary>
    private static Decision Decide(
        RuleSet rules, string callId, CallContext call, Fallback fallback, DateTimeOffset rang, DateTimeOffset active, CallerRings? earlier)
    {
        var ring = (CallStep.Decide)CallStep.For(RingOf(callId, call), KnownCall.None);
        var incoming = RuleEvaluator.Evaluate(rules, ring.Context, ring.Stage, fallback, rang, rings: earlier);
        if (Actions.Of(incoming.Action) is { LeavesCall: true, ClaimKey: not null }) return incoming;
        var next = (CallStep.Decide)CallStep.For(UpdateOf(callId), new KnownCall(KnownFrom.Record, call));
        var later = RuleEvaluator.Evaluate(rules, next.Context, next.Stage, fallback, active);
        return Actions.Of(later.Action).ClaimKey is not null ? later : incoming;
    }

    /// <summary>The ring a record keeps: what its incoming notification said.</summary>
    private static CallEvent RingOf(string callId, CallContext c) =>
        new(callId, ChangeType.Created, CallState.Incoming, c.Source, c.Targets, c.TenantId, c.IsGroup, null, null, c.Routes);

    /// <summary>A later notification that carries only the state, as Graph's updates do.</summary>
    private static CallEvent UpdateOf(string callId) =>
        new(callId, ChangeType.Updated, CallState.Established, null, null, null, null, null, null);

    /// <summary>The caller's rings replayed so far (this one then joins them); null for an anonymous caller.</summary>
    private static CallerRings? Rang(Dictionary<string, List<DateTimeOffset>> rings, Party caller, DateTimeOffset at)
    {
        if (RingCounts.CallerKey(caller) is not { } key) return null;
        if (!rings.TryGetValue(key, out var times)) rings[key] = times = [];
        var earlier = new CallerRings([.. times]);
        times.Add(at);
        return earlier;
    }
}
