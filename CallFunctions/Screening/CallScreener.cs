using CallFunctions.Calls;
using CallFunctions.Graph;
using CallFunctions.Platform;
using CallFunctions.Records;
using CallFunctions.Rules;
using CallFunctions.RuleTable;
using Microsoft.Extensions.Options;

namespace CallFunctions.Screening;

/// <summary>What the screener did with one call event.</summary>
public sealed record Screened(ItemOutcome Outcome, string? Rule = null, GraphResult? Graph = null, string? Meaning = null);

/// <summary>
/// One call event through the pipeline, the only place that sequences it: what the notification means for its call
/// (<see cref="CallStep"/>) → decide with the rules → claim, so one delivery acts → act through Graph → record. A
/// ringing call meets the rules of its stage (its caller's rings counted first when a Repeat rule needs them), a call
/// the bot is in the HangUp rules, a termination is recorded. What each action means is its declaration
/// (<see cref="Actions"/>).
/// </summary>
public sealed class CallScreener(
    RuleCache rules,
    IOptions<RulesOptions> options,
    CallMemory memory,
    RingCounts rings,
    ActionClaims claims,
    ChallengeStore challenges,
    ChallengeFlow challenge,
    GraphCalls graph,
    CallRecords records,
    CallMetrics metrics,
    TimeProvider clock,
    ILogger<CallScreener> logger)
{
    private readonly Lazy<Fallback> _fallback = new(() => options.Value.ToFallback());

    public async Task<Screened> HandleAsync(CallEvent call, DateTimeOffset receivedAt, CancellationToken ct)
    {
        // Most deployments have no HangUp rule: then a call in progress needs no read of its record at all. With no
        // Challenge rule either, a termination is recorded without a read.
        var ruleSet = call.Stage != CallStage.Terminating ? await rules.GetAsync(ct) : RuleSet.Empty;
        if (ruleSet.Challenges && call.Stage is CallStage.Active or CallStage.Terminated && memory.Find(call.CallId)?.Challenged != false)
        {
            // A later notification of a challenged call is its challenge's next step, whatever the HangUp rules say.
            ChallengeState? challenged;
            try
            {
                challenged = await challenges.FindAsync(call.CallId, ct);
            }
            catch (Exception e) when (StorageFailure.IsUnavailable(e, ct))
            {
                Log.ChallengeUnavailable(logger, e, call.CallId);
                // Graph delivers it again; an end is recorded meanwhile.
                if (call.Stage == CallStage.Active) return new Screened(ItemOutcome.Failed);
                challenged = null;
            }
            if (challenged is not null && call.Stage == CallStage.Active) return await challenge.ContinueAsync(call, challenged, receivedAt, ct);
            if (challenged is not null) await challenge.EndAsync(call, challenged, ct);
        }
        if (call.Stage == CallStage.Active && !MayAct(ruleSet, CallStage.Active)) return new Screened(ItemOutcome.None);
        var (known, earlier) = CallStep.NeedsKnown(call) ? await KnownAsync(call.CallId, ct) : (KnownCall.None, null);
        switch (CallStep.For(call, known))
        {
            case CallStep.RecordEnd:
                return new Screened(ItemOutcome.Recorded, Meaning: await records.RecordEndAsync(call, ct));
            case CallStep.Decide { Stage: CallStage.Incoming } step:
                return await RingAsync(call, step.Context, ruleSet, receivedAt, ct);
            case CallStep.Decide step:
                var decision = RuleEvaluator.Evaluate(ruleSet, step.Context, CallStage.Active, _fallback.Value, receivedAt);
                if (Actions.Of(decision.Action).ClaimKey is null) return new Screened(ItemOutcome.None, decision.Rule);
                return await ActAsync(call, step.Context, decision, receivedAt, ring: false, earlier, ct);
            case CallStep.Nothing:
                return new Screened(ItemOutcome.None);
            default:
                throw new InvalidOperationException("Unknown step.");
        }
    }

    /// <summary>Whether any rule of the stage, or the default action, can do more than let the call be.</summary>
    private bool MayAct(RuleSet ruleSet, CallStage stage) =>
        ruleSet.ActsAt(stage) || (Actions.Of(_fallback.Value.Action) is { ClaimKey: not null } fallback && fallback.AppliesAtStage(stage));

    /// <summary>What is known of a call in progress: this instance's memory of its ring, otherwise its record.</summary>
    private async Task<(KnownCall Known, Task? Earlier)> KnownAsync(string callId, CancellationToken ct) =>
        memory.Find(callId) is { Context: { } context } remembered
            ? (new KnownCall(KnownFrom.Memory, context), remembered.Recorded)
            : (await CallStep.KnownAsync(records, callId, logger, ct), null);

    private async Task<Screened> RingAsync(CallEvent call, CallContext context, RuleSet ruleSet, DateTimeOffset receivedAt, CancellationToken ct)
    {
        // Remembered before the decision: an update of the call handled meanwhile (rules being re-read, a slow claim or
        // record) must know the caller this notification carries.
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        memory.Ringing(call.CallId, context, recorded.Task);
        try
        {
            var counted = !context.Source.IsAnonymous && ruleSet.RepeatsFor(context.TenantId) is { } need
                ? await rings.CountAsync(call.CallId, context.Source, receivedAt, need, write: true, ct)
                : null;
            var decision = RuleEvaluator.Evaluate(ruleSet, context, CallStage.Incoming, _fallback.Value, receivedAt, rings: counted);
            return await ActAsync(call, context, decision, receivedAt, ring: true, earlier: null, ct);
        }
        finally
        {
            recorded.TrySetResult();
        }
    }

    /// <summary>Claims and takes the decided action (none for one that sends nothing), then records the decision with Graph's answer.</summary>
    /// <param name="earlier">The ring's work on this instance, whose record this one must follow.</param>
    private async Task<Screened> ActAsync(
        CallEvent call, CallContext context, Decision decision, DateTimeOffset receivedAt, bool ring, Task? earlier, CancellationToken ct)
    {
        var declared = Actions.Of(decision.Action);
        metrics.Decided(decision.Action, decision.RuleName);
        if (ring) memory.Decided(call.CallId, decision.Action == RuleAction.Challenge);
        // The bot is out of the call: its later notifications must consult its record, which says so.
        if (declared.LeavesCall) memory.BotLeft(call.CallId);
        if (decision.Action == RuleAction.Challenge)
        {
            Log.Decided(logger, call.CallId, decision.Action, decision.RuleName, context.Source.ToString());
            return await challenge.RingAsync(call, context, decision, receivedAt, ct);
        }
        GraphResult? result = null;
        if (declared.ClaimKey is not null)
        {
            if (await claims.TryClaimAsync(call.CallId, decision.Action, ct) is not { } claim)
                return new Screened(ItemOutcome.Duplicate, decision.Rule);
            result = await SendAsync(call.CallId, decision, receivedAt, ct);
            if (result.Failed) await claims.ReleaseAsync(claim, ct);
        }
        Log.Decided(logger, call.CallId, decision.Action, decision.RuleName, context.Source.ToString());

        // The ring's decision (Allow) merged after the hang-up would overwrite its rule and action: it goes first. The
        // action itself did not wait for it.
        if (earlier is not null) await earlier;
        await records.SaveAsync(
            CallRecord.Decision(call.CallId, context, call.ChainId, ring ? receivedAt : null, decision, result, clock.GetUtcNow()),
            RecordKind.Decision, ct);
        return new Screened(declared.Outcome, decision.RuleName, result);
    }

    private Task<GraphResult> SendAsync(string callId, Decision decision, DateTimeOffset receivedAt, CancellationToken ct) => decision.Action switch
    {
        RuleAction.Reject => graph.RejectAsync(callId, decision.PayloadAs<Rejection>().Reason, receivedAt, ct),
        RuleAction.Redirect => graph.RedirectAsync(callId, decision.PayloadAs<Redirection>(), receivedAt, ct),
        RuleAction.HangUp => graph.HangUpAsync(callId, receivedAt, ct),
        RuleAction.Allow => throw new InvalidOperationException("Allow sends nothing to Graph."),
        RuleAction.Challenge => throw new InvalidOperationException("A challenge is its own flow (ChallengeFlow)."),
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision.Action, "An action that has no Graph request."),
    };
}
