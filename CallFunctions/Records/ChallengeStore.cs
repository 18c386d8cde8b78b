using Azure;
using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Platform;

namespace CallFunctions.Records;

/// <summary>
/// A challenge as every instance sees it: the terms it was started with (its rule, key, target, prompt, timeout), when
/// the prompt was asked for, and its verdict once a key, the timeout or the caller's leaving decided it.
/// </summary>
public sealed record ChallengeState(
    string CallId, string Rule, ChallengeTerms Terms, string? CallerKey, DateTimeOffset StartedAt, DateTimeOffset? PromptAt, string? Verdict);

/// <summary>How a challenge ended, as the call's record and the summary name it.</summary>
public static class ChallengeResults
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Timeout = "timeout";
    public const string CallerLeft = "callerLeft";
    public const string TransferFailed = "transferFailed";

    /// <summary>A caller who passed within the rule's Remember, let through at the ring without a challenge.</summary>
    public const string Remembered = "remembered";

    /// <summary>Graph did not take the answer (a 403 without Calls.JoinGroupCall.All, a 5xx): the call rang on.</summary>
    public const string NotAnswered = "notAnswered";

    public static readonly IReadOnlyList<string> All = [Passed, Failed, Timeout, CallerLeft, TransferFailed, Remembered, NotAnswered];
}

/// <summary>
/// The rows of a challenge in the call's partition of the outcomes table, beside its record. Each step of the flow is a
/// claim (<see cref="ActionClaims"/>), so one delivery takes it whatever instance each notification reaches:
/// <list type="bullet">
/// <item><c>claim-challenge</c>: the ring's claim, holding the terms, written before Graph is asked to answer;</item>
/// <item><c>claim-challenge-prompt</c>: the first <c>established</c> subscribes to tones and plays the prompt;</item>
/// <item><c>claim-challenge-verdict</c>: the first key, the timeout or the caller's leaving decides, once (its Result);</item>
/// <item><c>claim-hangup</c>: the one DELETE of the call, whoever sends it (a HangUp rule's claim too).</item>
/// </list>
/// The keys pressed are never written: only the verdict.
/// </summary>
public sealed class ChallengeStore(
    ActionClaims claims, [FromKeyedServices(StorageSetup.OutcomesTable)] TableClient table, TimeProvider clock)
{
    public const string StateKey = "claim-challenge";
    public const string PromptKey = "claim-challenge-prompt";
    public const string VerdictKey = "claim-challenge-verdict";

    /// <summary>Claims the challenge of a ringing call, with its terms: null when another delivery holds it.</summary>
    public Task<Claim?> StartAsync(string callId, string rule, ChallengeTerms terms, string? callerKey, CancellationToken ct)
    {
        var columns = new Dictionary<string, object>
        {
            ["Rule"] = rule,
            ["Target"] = terms.TargetText,
            ["Key"] = terms.Key,
            ["Timeout"] = terms.TimeoutSeconds,
            ["StartedAt"] = clock.GetUtcNow(),
        };
        if (terms.Prompt is { } prompt) columns["Prompt"] = prompt;
        if (terms.Remember is { } remember) columns["Remember"] = ChallengeTerms.FormatRemember(remember);
        if (callerKey is not null) columns["CallerKey"] = callerKey;
        return claims.TryClaimAsync(callId, StateKey, columns, ct);
    }

    /// <summary>
    /// The call's challenge, read in one request (its rows sort together: <c>claim-challenge</c>, <c>-prompt</c>,
    /// <c>-verdict</c>); null when the call was not challenged. Throws when storage cannot answer.
    /// </summary>
    public async Task<ChallengeState?> FindAsync(string callId, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {callId} and RowKey ge {StateKey} and RowKey lt {"claim-challengf"}");
        TableEntity? state = null;
        DateTimeOffset? promptAt = null;
        string? verdict = null;
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            {
                switch (row.RowKey)
                {
                    case StateKey: state = row; break;
                    case PromptKey: promptAt = row.GetDateTimeOffset("At") ?? row.Timestamp; break;
                    case VerdictKey: verdict = row.GetString("Result"); break;
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        if (state is null) return null;
        var terms = new ChallengeTerms(
            Targets.Parse(state.GetString("Target") ?? "")[0],
            state.GetString("Key") ?? ChallengeTerms.DefaultKey,
            state.GetInt32("Timeout") ?? ChallengeTerms.DefaultTimeoutSeconds,
            state.GetString("Prompt"),
            state.GetString("Remember") is { } remember ? ChallengeTerms.ParseRemember(remember) : null);
        return new ChallengeState(callId, state.GetString("Rule") ?? "", terms, state.GetString("CallerKey"),
            state.GetDateTimeOffset("StartedAt") ?? state.Timestamp ?? clock.GetUtcNow(), promptAt, verdict);
    }

    /// <summary>Claims the prompt: the first <c>established</c> of the call asks for it.</summary>
    public Task<Claim?> ClaimPromptAsync(string callId, CancellationToken ct) =>
        claims.TryClaimAsync(callId, PromptKey, [new("At", clock.GetUtcNow())], ct);

    /// <summary>Decides the challenge: the first of a key, the timeout and the caller's leaving; null when it was decided already.</summary>
    public Task<Claim?> DecideAsync(string callId, string result, CancellationToken ct) =>
        claims.TryClaimAsync(callId, VerdictKey, [new("Result", result), new("At", clock.GetUtcNow())], ct);

    public Task ReleaseAsync(Claim claim, CancellationToken ct) => claims.ReleaseAsync(claim, ct);
}
