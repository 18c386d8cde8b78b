using CallFunctions.Calls;
using CallFunctions.Graph;
using CallFunctions.Platform;
using CallFunctions.Records;
using CallFunctions.Rules;

namespace CallFunctions.Screening;

/// <summary>
/// The steps of a Challenge, each taken by whichever instance gets its notification, once (each is a claim in the
/// call's partition, <see cref="ChallengeStore"/>):
/// <list type="number">
/// <item>the ring: a caller who passed within the rule's Remember is redirected to its target; anyone else is answered,
/// with the prompt fetched ahead;</item>
/// <item>the first <c>established</c>: the deadline is queued (<see cref="ChallengeTimeouts"/>), then tones are
/// subscribed to and the prompt played;</item>
/// <item>the first key, the deadline or the caller's leaving decides: the rule's key stops the prompt and transfers the
/// call to the target; another key or the deadline hangs up; a transfer that comes back failing is hung up.</item>
/// </list>
/// Every step is merged into the call's record: its result (never the keys), its times, Graph's status for each request.
/// </summary>
public sealed class ChallengeFlow(
    ChallengeStore store,
    ChallengePasses passes,
    ChallengeTimeouts timeouts,
    PromptAddress prompts,
    ActionClaims claims,
    GraphCalls graph,
    CallRecords records,
    CallMemory memory,
    CallMetrics metrics,
    TimeProvider clock,
    ILogger<ChallengeFlow> logger)
{
    /// <summary>
    /// From the answer to the prompt: Graph reports the call established within seconds. Past it and the rule's Timeout,
    /// the bot is stuck in the call (<see cref="CallRecord.Columns.BotInCallUntil"/>), and the reconciler hangs up.
    /// </summary>
    public static readonly TimeSpan SetUpAllowance = TimeSpan.FromSeconds(30);

    /// <summary>From a pass to the transfer's end (the target rings for up to a minute).</summary>
    public static readonly TimeSpan TransferAllowance = TimeSpan.FromSeconds(90);

    /// <summary>A ringing call a Challenge rule matched: let a remembered caller through, otherwise answer.</summary>
    public async Task<Screened> RingAsync(CallEvent call, CallContext context, Decision decision, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var terms = decision.PayloadAs<ChallengeTerms>();
        var rule = decision.RuleName;
        var caller = RingCounts.CallerKey(context.Source);
        if (terms.Remember is not null && caller is not null && await RememberedAsync(caller, rule, call.CallId, ct) is { } pass)
            return await LetThroughAsync(call, context, decision, terms, pass, receivedAt, ct);

        if (prompts.For(terms) is not { } media)
        {
            Log.NoPromptAddress(logger, call.CallId, rule, terms.PromptOrDefault);
            return new Screened(ItemOutcome.Failed, rule);
        }
        if (await store.StartAsync(call.CallId, rule, terms, caller, ct) is not { } claim)
            return new Screened(ItemOutcome.Duplicate, rule);
        if (!claim.Stored)
        {
            // Another instance could not carry the challenge on: the call is not answered, and Graph delivers its ring again.
            Log.ChallengeNotStored(logger, call.CallId, rule);
            return new Screened(ItemOutcome.Failed, rule);
        }

        var answered = await graph.AnswerAsync(call.CallId, media, receivedAt, ct);
        if (answered.Failed) await store.ReleaseAsync(claim, ct);
        var now = clock.GetUtcNow();
        var entity = CallRecord.Decision(call.CallId, context, call.ChainId, receivedAt, decision, answered, now);
        if (answered.Succeeded)
        {
            entity[CallRecord.Columns.AnsweredAt] = now;
            entity[CallRecord.Columns.BotInCallUntil] = now + SetUpAllowance + TimeSpan.FromSeconds(terms.TimeoutSeconds);
            metrics.Challenge("started", rule);
        }
        else if (!answered.DryRun)
        {
            entity[CallRecord.Columns.ChallengeResult] = ChallengeResults.NotAnswered;
            metrics.Challenge(ChallengeResults.NotAnswered, rule);
        }
        await records.SaveAsync(entity, RecordKind.Decision, ct);
        return new Screened(ItemOutcome.Challenged, rule, answered);
    }

    /// <summary>The caller's pass of the rule, while remembered; when storage cannot say, the caller is challenged.</summary>
    private async Task<ChallengePass?> RememberedAsync(string caller, string rule, string callId, CancellationToken ct)
    {
        try
        {
            return await passes.FindAsync(caller, rule, ct);
        }
        catch (Exception e) when (StorageFailure.IsUnavailable(e, ct))
        {
            Log.PassesUnavailable(logger, e, callId);
            return null;
        }
    }

    /// <summary>A remembered caller: redirected to the rule's target at the ring, never answered.</summary>
    private async Task<Screened> LetThroughAsync(
        CallEvent call, CallContext context, Decision decision, ChallengeTerms terms, ChallengePass pass, DateTimeOffset receivedAt, CancellationToken ct)
    {
        memory.BotLeft(call.CallId);
        if (await claims.TryClaimAsync(call.CallId, RuleAction.Redirect, ct) is not { } claim)
            return new Screened(ItemOutcome.Duplicate, decision.Rule);
        var result = await graph.RedirectAsync(call.CallId, new Redirection([terms.Target]), receivedAt, ct);
        if (result.Failed) await claims.ReleaseAsync(claim, ct);
        var entity = CallRecord.Decision(call.CallId, context, call.ChainId, receivedAt, decision, result, clock.GetUtcNow());
        entity[CallRecord.Columns.ChallengeResult] = ChallengeResults.Remembered;
        entity[CallRecord.Columns.PassedAt] = pass.PassedAt;
        metrics.Challenge(ChallengeResults.Remembered, decision.RuleName);
        await records.SaveAsync(entity, RecordKind.Decision, ct);
        return new Screened(ItemOutcome.Redirected, decision.RuleName, result);
    }

    /// <summary>A later notification of a challenged call: the prompt at <c>established</c>, a key, a failed transfer.</summary>
    public async Task<Screened> ContinueAsync(CallEvent call, ChallengeState challenge, DateTimeOffset receivedAt, CancellationToken ct)
    {
        if (call.State != CallState.Established) return new Screened(ItemOutcome.None, challenge.Rule);
        if (call.Tone is { } tone) return await KeyAsync(call, challenge, tone, receivedAt, ct);
        if (call.Result is { Failed: true } && challenge.Verdict == ChallengeResults.Passed)
            return await TransferFailedAsync(call, challenge, receivedAt, ct);
        if (challenge.PromptAt is not null || challenge.Verdict is not null) return new Screened(ItemOutcome.Duplicate, challenge.Rule);
        return await PromptAsync(call, challenge, receivedAt, ct);
    }

    /// <summary>The call is established: the deadline first (it must outlive this instance), then tones and the prompt.</summary>
    private async Task<Screened> PromptAsync(CallEvent call, ChallengeState challenge, DateTimeOffset receivedAt, CancellationToken ct)
    {
        if (await store.ClaimPromptAsync(call.CallId, ct) is null) return new Screened(ItemOutcome.Duplicate, challenge.Rule);
        var terms = challenge.Terms;
        var now = clock.GetUtcNow();
        var timeout = TimeSpan.FromSeconds(terms.TimeoutSeconds);
        try
        {
            await timeouts.ScheduleAsync(call.CallId, timeout, now, ct);
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, ct))
        {
            // The call's record says until when the bot may be in it: the reconciler hangs up a call stuck past that.
            Log.TimeoutNotQueued(logger, e, call.CallId);
        }
        var subscribed = await graph.SubscribeToToneAsync(call.CallId, call.CallId, receivedAt, ct);
        var media = prompts.For(terms);
        var played = media is null ? null : await graph.PlayPromptAsync(call.CallId, media, call.CallId, receivedAt, ct);
        await SaveAsync(call.CallId, ct,
            (CallRecord.Columns.PromptAt, now),
            (CallRecord.Columns.SubscribeStatus, subscribed.Status),
            (CallRecord.Columns.PromptStatus, played?.Status),
            (CallRecord.Columns.BotInCallUntil, now + timeout + SetUpAllowance));
        return new Screened(ItemOutcome.Challenged, challenge.Rule, played ?? subscribed);
    }

    /// <summary>A key: the rule's passes (the prompt stops, the call is transferred), any other fails (hung up).</summary>
    private async Task<Screened> KeyAsync(CallEvent call, ChallengeState challenge, ToneInfo tone, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var terms = challenge.Terms;
        var passed = string.Equals(tone.Tone, terms.Tone, StringComparison.OrdinalIgnoreCase);
        if (challenge.Verdict is not null || await store.DecideAsync(call.CallId, passed ? ChallengeResults.Passed : ChallengeResults.Failed, ct) is null)
            return new Screened(ItemOutcome.Duplicate, challenge.Rule);
        var now = clock.GetUtcNow();
        if (!passed)
        {
            var hungUp = await HangUpAsync(call.CallId, receivedAt, ct);
            metrics.Challenge(ChallengeResults.Failed, challenge.Rule);
            await SaveAsync(call.CallId, ct,
                (CallRecord.Columns.ChallengeResult, ChallengeResults.Failed),
                (CallRecord.Columns.VerdictAt, now),
                (CallRecord.Columns.HangUpStatus, hungUp?.Status));
            return new Screened(ItemOutcome.HungUp, challenge.Rule, hungUp);
        }

        var cancelled = await graph.CancelMediaProcessingAsync(call.CallId, call.CallId, receivedAt, ct);
        var transferred = await graph.TransferAsync(call.CallId, terms.Target, receivedAt, ct);
        metrics.Challenge(ChallengeResults.Passed, challenge.Rule);
        if (terms.Remember is { } remember && challenge.CallerKey is { } caller) await RememberAsync(caller, challenge.Rule, remember, call.CallId, ct);
        if (transferred.Succeeded || transferred.DryRun)
        {
            await SaveAsync(call.CallId, ct,
                (CallRecord.Columns.ChallengeResult, ChallengeResults.Passed),
                (CallRecord.Columns.VerdictAt, now),
                (CallRecord.Columns.CancelStatus, cancelled.Status),
                (CallRecord.Columns.TransferStatus, transferred.Status),
                (CallRecord.Columns.BotInCallUntil, now + TransferAllowance));
            return new Screened(ItemOutcome.Redirected, challenge.Rule, transferred);
        }

        // Graph did not take the transfer: the caller would wait in silence.
        var hangUp = await HangUpAsync(call.CallId, receivedAt, ct);
        metrics.Challenge(ChallengeResults.TransferFailed, challenge.Rule);
        await SaveAsync(call.CallId, ct,
            (CallRecord.Columns.ChallengeResult, ChallengeResults.TransferFailed),
            (CallRecord.Columns.VerdictAt, now),
            (CallRecord.Columns.CancelStatus, cancelled.Status),
            (CallRecord.Columns.TransferStatus, transferred.Status),
            (CallRecord.Columns.HangUpStatus, hangUp?.Status));
        return new Screened(ItemOutcome.HungUp, challenge.Rule, hangUp);
    }

    private async Task RememberAsync(string caller, string rule, TimeSpan remember, string callId, CancellationToken ct)
    {
        try
        {
            await passes.RememberAsync(caller, rule, remember, callId, ct);
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, ct))
        {
            // Not remembered: the caller is challenged again next time, the safe side.
            Log.PassNotRemembered(logger, e, callId);
        }
    }

    /// <summary>The transfer came back failing (the call is established again, with a failing resultInfo): hang up.</summary>
    private async Task<Screened> TransferFailedAsync(CallEvent call, ChallengeState challenge, DateTimeOffset receivedAt, CancellationToken ct)
    {
        if (await HangUpAsync(call.CallId, receivedAt, ct) is not { } hungUp) return new Screened(ItemOutcome.Duplicate, challenge.Rule);
        metrics.Challenge(ChallengeResults.TransferFailed, challenge.Rule);
        await SaveAsync(call.CallId, ct,
            (CallRecord.Columns.ChallengeResult, ChallengeResults.TransferFailed),
            (CallRecord.Columns.HangUpStatus, hungUp.Status));
        return new Screened(ItemOutcome.HungUp, challenge.Rule, hungUp);
    }

    /// <summary>The deadline came (the queue's message): a challenge still undecided times out and is hung up.</summary>
    public async Task TimeoutAsync(string callId, CancellationToken ct)
    {
        if (await store.FindAsync(callId, ct) is not { Verdict: null } challenge) return;
        if (await store.DecideAsync(callId, ChallengeResults.Timeout, ct) is null) return;
        var hungUp = await HangUpAsync(callId, clock.GetUtcNow(), ct);
        metrics.Challenge(ChallengeResults.Timeout, challenge.Rule);
        Log.TimedOut(logger, callId, challenge.Rule, challenge.Terms.TimeoutSeconds);
        await SaveAsync(callId, ct,
            (CallRecord.Columns.ChallengeResult, ChallengeResults.Timeout),
            (CallRecord.Columns.VerdictAt, clock.GetUtcNow()),
            (CallRecord.Columns.HangUpStatus, hungUp?.Status));
    }

    /// <summary>The call ended with its challenge undecided: the caller left.</summary>
    public async Task EndAsync(CallEvent call, ChallengeState challenge, CancellationToken ct)
    {
        if (challenge.Verdict is not null || await store.DecideAsync(call.CallId, ChallengeResults.CallerLeft, ct) is null) return;
        metrics.Challenge(ChallengeResults.CallerLeft, challenge.Rule);
        await SaveAsync(call.CallId, ct,
            (CallRecord.Columns.ChallengeResult, ChallengeResults.CallerLeft),
            (CallRecord.Columns.VerdictAt, clock.GetUtcNow()));
    }

    /// <summary>The call's one DELETE; null when another delivery sends it.</summary>
    private Task<GraphResult?> HangUpAsync(string callId, DateTimeOffset at, CancellationToken ct) =>
        claims.HangUpOnceAsync(callId, () => graph.HangUpAsync(callId, at, ct), ct);

    private Task SaveAsync(string callId, CancellationToken ct, params (string Column, object? Value)[] columns) =>
        records.SaveAsync(CallRecord.ChallengeStep(callId, columns), RecordKind.Decision, ct);
}
