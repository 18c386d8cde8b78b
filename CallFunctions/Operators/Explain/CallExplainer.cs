using CallFunctions.Calls;
using CallFunctions.Notifications;
using CallFunctions.Records;
using CallFunctions.Rules;
using CallFunctions.RuleTable;
using CallFunctions.Screening;
using Microsoft.Extensions.Options;

namespace CallFunctions.Operators.Explain;

/// <summary>
/// Walks a notification envelope through the webhook's own step (<see cref="CallStep"/>), without calling Graph or writing anything:
/// the same stages, the same merge with the call's record for later notifications, the evaluator's own trace. A
/// ringing call's caller's rings are read, not written: the count shown is the one this ring would get.
/// </summary>
public sealed class CallExplainer(
    CallRecords records, RingCounts rings, ChallengePasses passes, IOptions<RulesOptions> options, ILogger<CallExplainer> logger)
{
    public async Task<ExplainReport> ExplainAsync(
        IReadOnlyList<Item> items, RuleSet rules, DateTimeOffset at, DateTimeOffset? rulesLoadedAt, CancellationToken ct)
    {
        var explained = new List<CallExplanation>(items.Count);
        foreach (var item in items) explained.Add(await ExplainAsync(item, rules, at, ct));
        var fallback = options.Value.ToFallback();
        return new ExplainReport(at, rulesLoadedAt, fallback.Action.ToString(), explained, DecidedAction.Of(fallback.Action, fallback.Payload).Target);
    }

    private async Task<CallExplanation> ExplainAsync(Item item, RuleSet rules, DateTimeOffset at, CancellationToken ct)
    {
        if (item is Item.Bad bad) return new CallExplanation(bad.Index, null, ExplainedItem.Invalid, bad.Error);
        if (item is not Item.Call { Event: var call })
            return new CallExplanation(item.Index, null, ExplainedItem.Ignored, $"{((Item.Ignored)item).ResourceUrl} is not a call: nothing to decide.");

        // The webhook's own step: the same stage, the same merge with what is known, the same answer when storage fails.
        var known = CallStep.NeedsKnown(call) ? await CallStep.KnownAsync(records, call.CallId, logger, ct) : KnownCall.None;
        switch (CallStep.For(call, known))
        {
            case CallStep.RecordEnd:
                return new CallExplanation(item.Index, call.CallId, ExplainedItem.Of(CallStage.Terminated), "A termination is recorded; no rule applies.");
            case CallStep.Nothing { Stage: CallStage.Terminating } ending:
                return new CallExplanation(item.Index, call.CallId, ExplainedItem.Of(CallStage.Terminating), ending.Why);
            case CallStep.Nothing nothing:
                return new CallExplanation(item.Index, call.CallId, ExplainedItem.Of(CallStage.Active), nothing.Why);
            case CallStep.Decide { Stage: CallStage.Incoming } ring:
                // The screener's own count, read and not written: the count shown is the one this ring would get.
                var counted = !ring.Context.Source.IsAnonymous && rules.RepeatsFor(ring.Context.TenantId) is { } need
                    ? await rings.CountAsync(call.CallId, ring.Context.Source, at, need, write: false, ct)
                    : null;
                var explained = Explain(item.Index, call.CallId, ring.Context, CallStage.Incoming, rules, at, null, counted);
                return explained.Decision is { Action: RuleAction.Challenge, Remember: not null } challenge
                    ? explained with { Decision = challenge with { Remembered = await RememberedAsync(ring.Context.Source, challenge.Rule, ct) } }
                    : explained;
            case CallStep.Decide later:
                return Explain(item.Index, call.CallId, later.Context, CallStage.Active, rules, at, Note(later.From));
            default:
                throw new InvalidOperationException("Unknown step.");
        }
    }

    /// <summary>Whether the caller passed the rule's challenge within its Remember, as the ring would find it.</summary>
    private async Task<string> RememberedAsync(Party caller, string rule, CancellationToken ct)
    {
        if (RingCounts.CallerKey(caller) is not { } key) return "not remembered: anonymous callers are never remembered";
        try
        {
            return await passes.FindAsync(key, rule, ct) is { } pass
                ? $"remembered, passed at {pass.PassedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} (until {pass.Until.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}): redirected to the target at the ring, not challenged"
                : "not remembered: the caller is challenged";
        }
        catch (Exception e) when (Platform.StorageFailure.IsUnavailable(e, ct))
        {
            return "unknown (Table Storage unavailable): like the webhook, the caller is challenged";
        }
    }

    private static string? Note(KnownFrom from) => from switch
    {
        KnownFrom.NoRecord => "No record of this call: only what this notification carries is known.",
        KnownFrom.Record => "Merged with what earlier notifications of the call carried (its record).",
        KnownFrom.StorageUnavailable => StorageUnavailableNote,
        _ => null,
    };

    /// <summary>What explain says when the call's record cannot be read: it decides as the webhook does then.</summary>
    public const string StorageUnavailableNote =
        "The call's record could not be read (Table Storage unavailable): like the webhook, the rules see only what this notification carries.";

    private CallExplanation Explain(int index, string callId, CallContext call, CallStage stage, RuleSet rules, DateTimeOffset at, string? note,
        CallerRings? counted = null)
    {
        var verdicts = new List<RuleVerdict>();
        var decision = RuleEvaluator.Evaluate(rules, call, stage, options.Value.ToFallback(), at, verdicts, counted);
        return new CallExplanation(
            index, callId, ExplainedItem.Of(stage), note,
            call.Source.Describe(),
            [.. call.Targets.Select(t => t.Describe())],
            [.. call.Routes.Select(r => r.ToString())],
            call.Type.ToString(),
            call.TenantId,
            verdicts,
            DecisionView.From(decision));
    }
}
