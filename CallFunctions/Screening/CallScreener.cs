using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Model;
using CallFunctions.Outcomes;
using CallFunctions.Rules;
using CallFunctions.Storage;
using CallFunctions.Telemetry;

namespace CallFunctions.Screening;

/// <summary>What the screener did with one call event.</summary>
public sealed record Screened(ItemOutcome Outcome, string? Rule = null, GraphResult? Graph = null, string? Meaning = null);

/// <summary>
/// One call event through the pipeline: decide with the rules, claim the action, act through Graph, record. A ringing
/// call meets the Reject and Redirect rules (its caller's rings counted first when a Repeat rule needs them), a call the
/// bot is in the HangUp rules, a termination is recorded.
/// </summary>
public sealed class CallScreener(
    Decider decider,
    RecentCalls recent,
    Claims claims,
    RingCounts rings,
    GraphCalls graph,
    CallRecords records,
    Terminations terminations,
    CallMetrics metrics,
    TimeProvider clock,
    ILogger<CallScreener> logger)
{
    public async Task<Screened> HandleAsync(CallEvent call, DateTimeOffset receivedAt, CancellationToken ct)
    {
        if (call.IsTermination)
        {
            recent.Forget(call.CallId);
            return new Screened(ItemOutcome.Recorded, Meaning: await terminations.RecordAsync(call, ct));
        }
        if (call.IsIncoming) return await ScreenIncomingAsync(call, receivedAt, ct);
        if (call.State == "terminating") return new Screened(ItemOutcome.None);
        return await ScreenActiveAsync(call, receivedAt, ct);
    }

    private async Task<Screened> ScreenIncomingAsync(CallEvent call, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var context = CallContext.From(call);
        // Remembered before the decision: an update of the call handled meanwhile (rules being re-read, a slow claim or
        // record) must know the caller this notification carries.
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        recent.Remember(call.CallId, context, recorded.Task);
        try
        {
            var counted = await decider.RepeatsAsync(context, ct) is { } need
                ? await rings.CountAsync(call.CallId, context.Source, receivedAt, need, write: true, ct)
                : null;
            var decision = await decider.DecideAsync(context, Stage.Incoming, receivedAt, counted, ct);
            // The bot is out of a rejected or redirected call: its later notifications must consult its record.
            if (decision.Action is RuleAction.Reject or RuleAction.Redirect) recent.Forget(call.CallId);
            return await ActAsync(call, context, decision, receivedAt, ring: true, earlier: null, ct);
        }
        finally
        {
            recorded.TrySetResult();
        }
    }

    private async Task<Screened> ScreenActiveAsync(CallEvent call, DateTimeOffset receivedAt, CancellationToken ct)
    {
        // Most deployments have no HangUp rule: then an update needs no read of the call's record at all.
        if (!await decider.MayHangUpAsync(ct)) return new Screened(ItemOutcome.None);

        CallContext known;
        Task? earlier = null;
        if (recent.Find(call.CallId) is { } remembered) (known, earlier) = (remembered.Context, remembered.Recorded);
        else
        {
            var record = await FindRecordAsync(call.CallId, ct);
            if (record is not null && CallRecord.HasEnded(record)) return new Screened(ItemOutcome.None);
            known = CallRecord.Context(record);
        }
        var context = known.With(call);
        var decision = await decider.DecideAsync(context, Stage.Active, receivedAt, null, ct);
        if (decision.Action != RuleAction.HangUp) return new Screened(ItemOutcome.None, decision.Rule);
        return await ActAsync(call, context, decision, receivedAt, ring: false, earlier, ct);
    }

    /// <summary>Claims and takes the decided action (none for Allow), then records the decision with Graph's answer.</summary>
    /// <param name="earlier">The incoming's work on this instance, whose record this one must follow.</param>
    private async Task<Screened> ActAsync(
        CallEvent call, CallContext context, Decision decision, DateTimeOffset receivedAt, bool ring, Task? earlier, CancellationToken ct)
    {
        metrics.Decided(decision.Action, decision.RuleName);
        GraphResult? result = null;
        if (decision.Action != RuleAction.Allow)
        {
            if (await claims.TryClaimAsync(call.CallId, decision.Action, ct) is not { } claim) return new Screened(ItemOutcome.Duplicate, decision.Rule);
            // An ended call's later notifications must consult its record, which says it ended.
            if (!ring) recent.Forget(call.CallId);
            result = decision.Action switch
            {
                RuleAction.Reject => await graph.RejectAsync(call.CallId, decision.Reason, receivedAt, ct),
                RuleAction.Redirect => await graph.RedirectAsync(call.CallId, decision.Redirect!, receivedAt, ct),
                _ => await graph.HangUpAsync(call.CallId, receivedAt, ct),
            };
            if (!result.Succeeded && !result.CallGone && !result.DryRun) await claims.ReleaseAsync(claim, ct);
        }
        Log.Decided(logger, call.CallId, decision.Action, decision.RuleName, context.Source.ToString());

        // The ring's decision (Allow) merged after the hang-up would overwrite its rule and action: it goes first. The
        // action itself did not wait for it.
        if (earlier is not null) await earlier;
        var record = CallRecord.Decision(call.CallId, context, call.ChainId, ring ? receivedAt : null, decision, result, clock.GetUtcNow());
        await records.SaveAsync(record, RecordKind.Decision, ct);
        var outcome = decision.Action switch
        {
            RuleAction.Reject => ItemOutcome.Rejected,
            RuleAction.HangUp => ItemOutcome.HungUp,
            RuleAction.Redirect => ItemOutcome.Redirected,
            _ => ItemOutcome.Allowed,
        };
        return new Screened(outcome, decision.RuleName, result);
    }

    /// <summary>Without storage the call's earlier context is unknown: decide on what this notification says.</summary>
    private async Task<TableEntity?> FindRecordAsync(string callId, CancellationToken ct)
    {
        try
        {
            return await records.FindAsync(callId, ct);
        }
        catch (Exception e) when (StorageFailure.IsUnavailable(e, ct))
        {
            Log.ContextUnavailable(logger, e, callId);
            return null;
        }
    }
}
