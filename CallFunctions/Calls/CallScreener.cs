using CallFunctions.Storage;
using Azure.Data.Tables;
using CallFunctions.Notifications;
using CallFunctions.Outcomes;
using CallFunctions.Rules;
using CallFunctions.Telemetry;
using Microsoft.Extensions.Options;
using C = CallFunctions.Outcomes.CallRecords.Columns;

namespace CallFunctions.Calls;

/// <summary>
/// Applies the rules to one call event: rejects a ringing call, hangs up a call the bot is in, records terminations,
/// and keeps what it learned about the call in the call's record so any instance can use it later.
/// </summary>
public sealed class CallScreener(
    RuleCache rules,
    GraphCalls graph,
    CallRecords records,
    Terminations terminations,
    RecentCalls recent,
    IOptions<RulesOptions> rulesOptions,
    IOptions<CallsOptions> callsOptions,
    CallMetrics metrics,
    TimeProvider clock,
    ILogger<CallScreener> logger)
{
    public async Task<ItemReport> HandleAsync(int index, CallEvent call, DateTimeOffset receivedAt, CancellationToken ct)
    {
        if (call.IsTermination)
        {
            recent.Forget(call.CallId);
            var meaning = await terminations.RecordAsync(call, ct);
            return new ItemReport(index, call.CallId, "recorded", Meaning: meaning);
        }
        if (call.IsIncoming) return await ScreenIncomingAsync(index, call, receivedAt, ct);
        if (call.State == "terminating") return new ItemReport(index, call.CallId, "none");
        return await ScreenActiveAsync(index, call, receivedAt, ct);
    }

    private async Task<ItemReport> ScreenIncomingAsync(int index, CallEvent call, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var context = CallContext.From(call);
        var decision = RuleEvaluator.Evaluate(await rules.GetAsync(ct), context, Stage.Incoming, rulesOptions.Value.DefaultAction, receivedAt);
        if (decision.Action == RuleAction.Reject) recent.Forget(call.CallId);
        else recent.Remember(call.CallId, context);
        metrics.Decided(decision.Action, decision.RuleName);

        GraphResult? result = null;
        if (decision.Action == RuleAction.Reject)
        {
            if (!await records.TryClaimAsync(call.CallId, "reject", ct)) return new ItemReport(index, call.CallId, "duplicate", decision.Rule);
            result = await graph.RejectAsync(call.CallId, decision.Reason, Deadline(receivedAt), ct);
            if (!result.Succeeded && !result.CallGone && !result.DryRun) await records.ReleaseClaimAsync(call.CallId, "reject", ct);
        }
        Log.Decided(logger, call.CallId, decision.Action, decision.RuleName, context.Source.ToString());

        var entity = ContextEntity(call.CallId, context, call.ChainId);
        entity[C.ReceivedAt] = receivedAt;
        AddDecision(entity, decision, result);
        await records.SaveAsync(entity, "decision", ct);
        return Report(index, call.CallId, decision, result);
    }

    private async Task<ItemReport> ScreenActiveAsync(int index, CallEvent call, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var ruleSet = await rules.GetAsync(ct);
        // Most deployments have no HangUp rule: then an update needs no read of the call's record at all.
        if (!ruleSet.HasHangUpRules && rulesOptions.Value.DefaultAction != RuleAction.HangUp)
            return new ItemReport(index, call.CallId, "none");

        CallContext context;
        if (recent.Find(call.CallId) is { } known)
        {
            context = Merge(call, known);
        }
        else
        {
            var record = await FindRecordAsync(call.CallId, ct);
            if (record is not null && AlreadyEnded(record)) return new ItemReport(index, call.CallId, "none");
            context = Merge(call, record);
        }
        var decision = RuleEvaluator.Evaluate(ruleSet, context, Stage.Active, rulesOptions.Value.DefaultAction, receivedAt);
        if (decision.Action != RuleAction.HangUp) return new ItemReport(index, call.CallId, "none", decision.Rule);
        metrics.Decided(decision.Action, decision.RuleName);

        if (!await records.TryClaimAsync(call.CallId, "hangup", ct)) return new ItemReport(index, call.CallId, "duplicate", decision.Rule);
        recent.Forget(call.CallId);
        var result = await graph.HangUpAsync(call.CallId, Deadline(receivedAt), ct);
        if (!result.Succeeded && !result.CallGone && !result.DryRun) await records.ReleaseClaimAsync(call.CallId, "hangup", ct);
        Log.Decided(logger, call.CallId, decision.Action, decision.RuleName, context.Source.ToString());
        var entity = ContextEntity(call.CallId, context, call.ChainId);
        AddDecision(entity, decision, result);
        await records.SaveAsync(entity, "decision", ct);
        return Report(index, call.CallId, decision, result);
    }

    /// <summary>Without storage the call's earlier context is unknown: decide on what this notification says.</summary>
    private async Task<TableEntity?> FindRecordAsync(string callId, CancellationToken ct)
    {
        try
        {
            return await records.FindAsync(callId, ct);
        }
        catch (Exception e) when (StorageErrors.IsUnavailable(e, ct))
        {
            Log.ContextUnavailable(logger, e, callId);
            return null;
        }
    }

    private DateTimeOffset Deadline(DateTimeOffset receivedAt) => receivedAt + TimeSpan.FromSeconds(callsOptions.Value.DeadlineSeconds);

    /// <summary>A call already rejected, hung up or terminated is not acted on again.</summary>
    internal static bool AlreadyEnded(TableEntity record) =>
        record.ContainsKey(C.TerminatedAt)
        || (record.GetString(C.Action) is nameof(RuleAction.Reject) or nameof(RuleAction.HangUp)
            && record.GetInt32(C.GraphStatus) is >= 200 and < 300);

    private static CallContext Merge(CallEvent call, CallContext known) => new(
        call.TenantId ?? known.TenantId,
        call.Source ?? known.Source,
        call.Targets ?? known.Targets,
        call.IsGroup ?? known.IsGroup,
        call.Routes ?? known.Routes);

    public static CallContext Merge(CallEvent call, TableEntity? record) => new(
        call.TenantId ?? record?.GetString(C.TenantId),
        call.Source ?? Party.Parse(record?.GetString(C.Caller)),
        call.Targets ?? [.. (record?.GetString(C.Callee) ?? "").Split(" | ", StringSplitOptions.RemoveEmptyEntries).Select(Party.Parse)],
        call.IsGroup ?? record?.GetString(C.CallType) == nameof(CallType.Group),
        call.Routes ?? CallRoute.ParseList(record?.GetString(C.Routes)));

    private static TableEntity ContextEntity(string callId, CallContext context, string? chainId)
    {
        var entity = CallRecords.NewEntity(callId);
        if (context.TenantId is { } tenant) entity[C.TenantId] = tenant;
        if (chainId is not null) entity[C.ChainId] = chainId;
        if (context.Source.Identities.Count > 0) entity[C.Caller] = context.Source.ToString();
        if (context.Targets.Count > 0) entity[C.Callee] = string.Join(" | ", context.Targets);
        if (context.Routes.Count > 0) entity[C.Routes] = CallRoute.Format(context.Routes);
        entity[C.CallType] = (context.IsGroup ? CallType.Group : CallType.PeerToPeer).ToString();
        return entity;
    }

    private void AddDecision(TableEntity entity, Decision decision, GraphResult? result)
    {
        entity[C.Rule] = decision.RuleName;
        entity[C.Action] = decision.Action.ToString();
        entity[C.DecidedAt] = clock.GetUtcNow();
        if (decision.Action == RuleAction.Reject) entity[C.Reason] = decision.Reason.ToString();
        if (result is null) return;
        entity[C.GraphStatus] = result.Status;
        entity[C.GraphAttempts] = result.Attempts;
        entity[C.DryRun] = result.DryRun;
    }

    private static ItemReport Report(int index, string callId, Decision decision, GraphResult? result) => new(
        index, callId,
        decision.Action switch { RuleAction.Reject => "rejected", RuleAction.HangUp => "hungUp", _ => "allowed" },
        decision.RuleName, result?.Status, result?.Attempts, result?.DryRun);
}
