using Azure;
using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Graph;
using CallFunctions.Platform;

namespace CallFunctions.Records;

/// <summary>
/// A claim this delivery holds: its row's key (<c>claim-reject</c>, <c>challenge</c>), its token, and the row's ETag when
/// storage told it (for a release of ours only). No ETag: storage could not answer, and the claim was assumed.
/// </summary>
public sealed record Claim(string CallId, string Key, string Token, ETag? ETag)
{
    /// <summary>The claim row is in storage, where every instance sees it.</summary>
    public bool Stored => ETag is not null;
}

/// <summary>
/// Claims an action on a call, so that a notification delivered twice (here or on another instance) is acted on once:
/// the first insert of the claim row wins, a duplicate gets 409. Claims live in the call's partition, beside its record.
/// <para>
/// Each row carries a token unique to the delivery that wrote it. Table Storage can store an insert and lose its
/// answer; the SDK then sends the insert again and meets its own row with 409. So a 409 reads the row back: our token
/// means the claim is ours, another token means another delivery holds it.
/// </para>
/// </summary>
public sealed class ActionClaims([FromKeyedServices(StorageSetup.OutcomesTable)] TableClient table, ILogger<ActionClaims> logger)
{
    public const string TokenColumn = "ClaimToken";

    /// <summary>
    /// The claim when this delivery may act, also when storage cannot answer (see <see cref="StorageFailure"/>); null
    /// when another delivery holds it.
    /// </summary>
    public Task<Claim?> TryClaimAsync(string callId, RuleAction action, CancellationToken ct) =>
        TryClaimAsync(callId, Key(action), null, ct);

    /// <summary>
    /// Claims the row <paramref name="key"/> of the call's partition; <paramref name="columns"/> go in the claim row (a
    /// challenge's terms, a verdict), so whoever reads the claim reads them with it.
    /// </summary>
    public async Task<Claim?> TryClaimAsync(string callId, string key, IEnumerable<KeyValuePair<string, object>>? columns, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        var row = new TableEntity(callId, key) { [CallRecord.Columns.CallId] = callId, [TokenColumn] = token };
        foreach (var (column, value) in columns ?? []) row[column] = value;
        // A claim released between our 409 and our read (its action failed) may be taken again: once.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Repeat after a lost answer: the SDK's second insert meets our own row (409), settled below by the token.
                var added = await table.WithTableAsync(t => table.AddEntityAsync(row, t), ct);
                return new Claim(callId, key, token, added.Headers.ETag);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                TableEntity? stored;
                try
                {
                    var found = await table.GetEntityIfExistsAsync<TableEntity>(callId, key, [TokenColumn], ct);
                    stored = found.HasValue ? found.Value : null;
                }
                catch (Exception read) when (StorageFailure.IsUnavailable(read, ct))
                {
                    Log.ClaimUnavailable(logger, read, key, callId);
                    return new Claim(callId, key, token, null);
                }
                if (stored is null && attempt == 1) continue;
                if (stored?.GetString(TokenColumn) == token)
                {
                    Log.OwnClaimFound(logger, key, callId);
                    return new Claim(callId, key, token, stored.ETag);
                }
                Log.AlreadyClaimed(logger, key, callId);
                return null;
            }
            catch (Exception e) when (StorageFailure.IsUnavailable(e, ct))
            {
                Log.ClaimUnavailable(logger, e, key, callId);
                return new Claim(callId, key, token, null);
            }
        }
    }

    /// <summary>
    /// Gives a claim back when the action failed, so a later delivery of the notification may try again. Only our own
    /// row goes: a conditional delete on its ETag, or, when the insert's answer never came, on the token read back.
    /// </summary>
    public async Task ReleaseAsync(Claim claim, CancellationToken ct)
    {
        try
        {
            var etag = claim.ETag;
            if (etag is null)
            {
                var found = await table.GetEntityIfExistsAsync<TableEntity>(claim.CallId, claim.Key, [TokenColumn], ct);
                if (!found.HasValue || found.Value!.GetString(TokenColumn) != claim.Token) return;
                etag = found.Value.ETag;
            }
            // Repeat after a lost answer: the row is gone and the SDK's delete answers 404 without throwing, a success.
            await table.DeleteEntityAsync(claim.CallId, claim.Key, etag.Value, ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Another delivery's claim now stands there: it is not ours to give back.
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, ct))
        {
            // The claim stays: the action will not be retried by a duplicate, which is the safe side.
        }
    }

    /// <summary>
    /// The call's one <c>DELETE</c>, whoever sends it (a challenge's key or deadline, the reconciler): claimed under the
    /// HangUp action's key, so one delivery or run sends it, and given back when Graph did not take it. Null when another
    /// holds the claim.
    /// </summary>
    public async Task<GraphResult?> HangUpOnceAsync(string callId, Func<Task<GraphResult>> hangUp, CancellationToken ct)
    {
        if (await TryClaimAsync(callId, RuleAction.HangUp, ct) is not { } claim) return null;
        var result = await hangUp();
        if (result.Failed) await ReleaseAsync(claim, ct);
        return result;
    }

    /// <summary>The claim row's key, as the action declares it: <c>claim-reject</c>, <c>claim-redirect</c>, <c>claim-hangup</c>.</summary>
    public static string Key(RuleAction action) => Actions.Of(action).ClaimKey
        ?? throw new ArgumentOutOfRangeException(nameof(action), action, "An action that sends nothing to Graph is not claimed.");
}
