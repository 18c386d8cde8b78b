using CallFunctions.Calls;
using CallFunctions.Model;
using CallFunctions.Outcomes;
using CallFunctions.Rules;

namespace CallFunctions.Screening;

/// <summary>What the screener did with one call event.</summary>
public sealed record Screened(ItemOutcome Outcome, string? Rule = null, GraphResult? Graph = null, string? Meaning = null);

/// <summary>
/// One call event through the pipeline: what it means for the call (<see cref="CallStep"/>), then decide with the
/// rules, claim and act through Graph, record. A ringing call meets the Reject and Redirect rules (its caller's rings
/// counted first when a Repeat rule needs them), a call the bot is in the HangUp rules, a termination is recorded.
/// </summary>
public sealed class CallScreener(
    Decider decider,
    KnownCalls known,
    RingCounts rings,
    CallActions actions,
    ILogger<CallScreener> logger)
{
    public async Task<Screened> HandleAsync(CallEvent call, DateTimeOffset receivedAt, CancellationToken ct)
    {
        // Most deployments have no HangUp rule: then a call in progress needs no read of its record at all.
        if (call.Phase == CallPhase.InProgress && !await decider.MayHangUpAsync(ct)) return new Screened(ItemOutcome.None);
        var (knownCall, earlier) = CallStep.NeedsKnown(call) ? await known.FindAsync(call.CallId, ct) : (KnownCall.None, null);
        switch (CallStep.For(call, knownCall))
        {
            case CallStep.RecordEnd:
                known.Forget(call.CallId);
                return new Screened(ItemOutcome.Recorded, Meaning: await actions.RecordEndAsync(call, ct));
            case CallStep.Decide { Stage: Stage.Incoming } step:
                return await ScreenIncomingAsync(call, step.Context, receivedAt, ct);
            case CallStep.Decide step:
                var decision = await decider.DecideAsync(step.Context, Stage.Active, receivedAt, null, ct);
                if (decision.Action != RuleAction.HangUp) return new Screened(ItemOutcome.None, decision.Rule);
                // An ended call's later notifications must consult its record, which says it ended.
                known.Forget(call.CallId);
                return await ActAsync(call, step.Context, decision, receivedAt, ring: false, earlier, ct);
            default:
                return new Screened(ItemOutcome.None);
        }
    }

    private async Task<Screened> ScreenIncomingAsync(CallEvent call, CallContext context, DateTimeOffset receivedAt, CancellationToken ct)
    {
        // Remembered before the decision: an update of the call handled meanwhile (rules being re-read, a slow claim or
        // record) must know the caller this notification carries.
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        known.Remember(call.CallId, context, recorded.Task);
        try
        {
            var counted = await decider.RepeatsAsync(context, ct) is { } need
                ? await rings.CountAsync(call.CallId, context.Source, receivedAt, need, write: true, ct)
                : null;
            var decision = await decider.DecideAsync(context, Stage.Incoming, receivedAt, counted, ct);
            // The bot is out of a rejected or redirected call: its later notifications must consult its record.
            if (decision.Action is RuleAction.Reject or RuleAction.Redirect) known.Forget(call.CallId);
            return await ActAsync(call, context, decision, receivedAt, ring: true, earlier: null, ct);
        }
        finally
        {
            recorded.TrySetResult();
        }
    }

    /// <summary>Claims and takes the decided action (none for Allow), then records the decision with Graph's answer.</summary>
    /// <param name="earlier">The incoming's work on this instance, whose record this one must follow.</param>
    private async Task<Screened> ActAsync(
        CallEvent call, CallContext context, Decision decision, DateTimeOffset receivedAt, bool ring, Task? earlier, CancellationToken ct)
    {
        var (duplicate, result) = await actions.TakeAsync(call.CallId, decision, receivedAt, ct);
        if (duplicate) return new Screened(ItemOutcome.Duplicate, decision.Rule);
        Log.Decided(logger, call.CallId, decision.Action, decision.RuleName, context.Source.ToString());

        // The ring's decision (Allow) merged after the hang-up would overwrite its rule and action: it goes first. The
        // action itself did not wait for it.
        if (earlier is not null) await earlier;
        await actions.RecordDecisionAsync(call, context, decision, ring ? receivedAt : null, result, ct);
        var outcome = decision.Action switch
        {
            RuleAction.Reject => ItemOutcome.Rejected,
            RuleAction.HangUp => ItemOutcome.HungUp,
            RuleAction.Redirect => ItemOutcome.Redirected,
            _ => ItemOutcome.Allowed,
        };
        return new Screened(outcome, decision.RuleName, result);
    }
}
