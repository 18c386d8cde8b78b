using CallFunctions.Calls;
using CallFunctions.Model;
using CallFunctions.Outcomes;
using CallFunctions.Rules;
using CallFunctions.Telemetry;

namespace CallFunctions.Screening;

/// <summary>
/// A decision carried out: counted, claimed so one instance acts, sent to Graph, its claim given back when it failed;
/// then recorded with Graph's answer. A termination is recorded here too.
/// </summary>
public sealed class CallActions(Claims claims, GraphCalls graph, CallMetrics metrics, CallRecords records, Terminations terminations, TimeProvider clock)
{
    /// <summary>Graph's answer; null for Allow, which sends nothing. <c>Duplicate</c> when another delivery holds the claim.</summary>
    public async Task<(bool Duplicate, GraphResult? Result)> TakeAsync(string callId, Decision decision, DateTimeOffset receivedAt, CancellationToken ct)
    {
        metrics.Decided(decision.Action, decision.RuleName);
        if (decision.Action == RuleAction.Allow) return (false, null);
        if (await claims.TryClaimAsync(callId, decision.Action, ct) is not { } claim) return (true, null);
        var result = decision.Action switch
        {
            RuleAction.Reject => await graph.RejectAsync(callId, decision.Reason, receivedAt, ct),
            RuleAction.Redirect => await graph.RedirectAsync(callId, decision.Redirect!, receivedAt, ct),
            _ => await graph.HangUpAsync(callId, receivedAt, ct),
        };
        if (!result.Succeeded && !result.CallGone && !result.DryRun) await claims.ReleaseAsync(claim, ct);
        return (false, result);
    }

    public Task RecordDecisionAsync(
        CallEvent call, CallContext context, Decision decision, DateTimeOffset? receivedAt, GraphResult? result, CancellationToken ct) =>
        records.SaveAsync(
            CallRecord.Decision(call.CallId, context, call.ChainId, receivedAt, decision, result, clock.GetUtcNow()), RecordKind.Decision, ct);

    /// <summary>The termination's meaning, as recorded.</summary>
    public Task<string> RecordEndAsync(CallEvent call, CancellationToken ct) => terminations.RecordAsync(call, ct);
}
