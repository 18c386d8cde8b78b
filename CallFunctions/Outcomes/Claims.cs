using Azure;
using Azure.Data.Tables;
using CallFunctions.Model;
using CallFunctions.Storage;

namespace CallFunctions.Outcomes;

/// <summary>
/// Claims an action on a call, so that a notification delivered twice (here or on another instance) is acted on once:
/// the first insert of the claim row wins, a duplicate gets 409. Claims live in the call's partition, beside its record.
/// </summary>
public sealed class Claims([FromKeyedServices(StorageSetup.OutcomesTable)] TableClient table, ILogger<Claims> logger)
{
    /// <summary>True when this delivery may act; also when storage cannot answer (see <see cref="StorageFailure"/>).</summary>
    public async Task<bool> TryClaimAsync(string callId, RuleAction action, CancellationToken ct)
    {
        var claim = new TableEntity(callId, Key(action)) { [CallRecord.Columns.CallId] = callId };
        try
        {
            await table.WithTableAsync<Response>(token => table.AddEntityAsync(claim, token), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            Log.AlreadyClaimed(logger, action, callId);
            return false;
        }
        catch (Exception e) when (StorageFailure.IsUnavailable(e, ct))
        {
            Log.ClaimUnavailable(logger, e, action, callId);
            return true;
        }
    }

    /// <summary>Gives a claim back when the action failed, so a later delivery of the notification may try again.</summary>
    public async Task ReleaseAsync(string callId, RuleAction action, CancellationToken ct)
    {
        try
        {
            await table.DeleteEntityAsync(callId, Key(action), cancellationToken: ct);
        }
        catch (Exception e) when (StorageFailure.IsFailure(e, ct))
        {
            // The claim stays: the action will not be retried by a duplicate, which is the safe side.
        }
    }

    /// <summary>The claim row's key: <c>claim-reject</c>, <c>claim-redirect</c>, <c>claim-hangup</c>.</summary>
    public static string Key(RuleAction action) => "claim-" + action switch
    {
        RuleAction.Reject => "reject",
        RuleAction.Redirect => "redirect",
        RuleAction.HangUp => "hangup",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Only a reject, a redirect or a hang-up is claimed."),
    };
}
