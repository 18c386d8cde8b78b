using CallFunctions.Model;
using CallFunctions.Notifications;
using CallFunctions.Outcomes;
using CallFunctions.Rules;
using Microsoft.Extensions.Options;

namespace CallFunctions.Explain;

/// <summary>
/// Walks a notification envelope the way the webhook's screener does, without calling Graph or writing anything:
/// the same stages, the same merge with the call's record for later notifications, the evaluator's own trace. A
/// ringing call's caller's rings are read, not written: the count shown is the one this ring would get.
/// </summary>
public sealed class CallExplainer(CallRecords records, RingCounts rings, IOptions<RulesOptions> options)
{
    public async Task<ExplainReport> ExplainAsync(
        IReadOnlyList<Item> items, RuleSet rules, DateTimeOffset at, DateTimeOffset? rulesLoadedAt, CancellationToken ct)
    {
        var explained = new List<CallExplanation>(items.Count);
        foreach (var item in items) explained.Add(await ExplainAsync(item, rules, at, ct));
        var fallback = options.Value.ToFallback();
        return new ExplainReport(at, rulesLoadedAt, fallback.Action.ToString(), explained, fallback.Redirect?.TargetText);
    }

    private async Task<CallExplanation> ExplainAsync(Item item, RuleSet rules, DateTimeOffset at, CancellationToken ct)
    {
        switch (item)
        {
            case Item.Bad bad:
                return new CallExplanation(bad.Index, null, ExplainedStage.Invalid, bad.Error);
            case Item.Ignored ignored:
                return new CallExplanation(ignored.Index, null, ExplainedStage.Ignored, $"{ignored.ResourceUrl} is not a call: nothing to decide.");
            case Item.Call { Event: { IsTermination: true } call }:
                return new CallExplanation(item.Index, call.CallId, ExplainedStage.Terminated, "A termination is recorded; no rule applies.");
            case Item.Call { Event: { IsIncoming: true } call }:
                var context = CallContext.From(call);
                var counted = !context.Source.IsAnonymous && rules.RepeatsFor(context.TenantId) is { } need
                    ? await rings.CountAsync(call.CallId, context.Source, at, need, write: false, ct)
                    : null;
                return Explain(item.Index, call.CallId, context, Stage.Incoming, rules, at, null, counted);
            case Item.Call { Event: { State: "terminating" } call }:
                return new CallExplanation(item.Index, call.CallId, ExplainedStage.Terminating, "The call is ending: no rule applies.");
            case Item.Call { Event: var call }:
                var record = await records.FindAsync(call.CallId, ct);
                if (record is not null && CallRecord.HasEnded(record))
                    return new CallExplanation(item.Index, call.CallId, ExplainedStage.Active,
                        "The call was already rejected, hung up or ended: the handler does nothing more.");
                var note = record is null
                    ? "No record of this call: only what this notification carries is known."
                    : "Merged with what earlier notifications of the call carried (its record).";
                return Explain(item.Index, call.CallId, CallRecord.Context(record).With(call), Stage.Active, rules, at, note);
            default:
                throw new InvalidOperationException("Unknown item.");
        }
    }

    private CallExplanation Explain(int index, string callId, CallContext call, Stage stage, RuleSet rules, DateTimeOffset at, string? note,
        CallerRings? counted = null)
    {
        var verdicts = new List<RuleVerdict>();
        var decision = RuleEvaluator.Evaluate(rules, call, stage, options.Value.ToFallback(), at, verdicts, counted);
        return new CallExplanation(
            index, callId, stage == Stage.Incoming ? ExplainedStage.Incoming : ExplainedStage.Active, note,
            call.Source.Describe(),
            [.. call.Targets.Select(t => t.Describe())],
            [.. call.Routes.Select(r => r.ToString())],
            call.Type.ToString(),
            call.TenantId,
            verdicts,
            DecisionView.From(decision));
    }
}
