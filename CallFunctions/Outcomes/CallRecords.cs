using Azure;
using Azure.Data.Tables;
using CallFunctions.Storage;
using CallFunctions.Telemetry;

namespace CallFunctions.Outcomes;

/// <summary>
/// One entity per call in the outcomes table: what the handler knew and did, and how the call ended.
/// PartitionKey is the call id, so writes spread over as many partitions as there are calls.
/// </summary>
public sealed class CallRecords(
    [FromKeyedServices(StorageSetup.OutcomesTable)] TableClient table,
    CallIndex index,
    RecordSpool spool,
    CallMetrics metrics,
    ILogger<CallRecords> logger)
{
    public const string RowKey = "call";

    public static class Columns
    {
        public const string CallId = nameof(CallId);
        public const string TenantId = nameof(TenantId);
        public const string ChainId = nameof(ChainId);
        public const string Caller = nameof(Caller);
        public const string Callee = nameof(Callee);
        public const string CallType = nameof(CallType);
        public const string Routes = nameof(Routes);
        public const string ReceivedAt = nameof(ReceivedAt);
        public const string Rule = nameof(Rule);
        public const string Action = nameof(Action);
        public const string Reason = nameof(Reason);
        public const string DecidedAt = nameof(DecidedAt);
        public const string GraphStatus = nameof(GraphStatus);
        public const string GraphAttempts = nameof(GraphAttempts);
        public const string DryRun = nameof(DryRun);
        public const string Code = nameof(Code);
        public const string Subcode = nameof(Subcode);
        public const string Message = nameof(Message);
        public const string Meaning = nameof(Meaning);
        public const string TerminatedAt = nameof(TerminatedAt);
    }

    public TableClient Table => table;

    public static TableEntity NewEntity(string callId) => new(callId, RowKey) { [Columns.CallId] = callId };

    public async Task<TableEntity?> FindAsync(string callId, CancellationToken ct)
    {
        var found = await table.WithTableAsync(
            token => table.GetEntityIfExistsAsync<TableEntity>(callId, RowKey, cancellationToken: token), ct);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>
    /// Merges the given columns into the call's one record; columns not given keep their values. When Table Storage
    /// is unavailable the record is held on local disk and written later; only when that fails too does this throw.
    /// </summary>
    public async Task SaveAsync(TableEntity entity, string kind, CancellationToken ct)
    {
        CutLongStrings(entity);
        try
        {
            await WriteAsync(entity, ct);
            metrics.RecordWritten(kind);
        }
        catch (Exception e) when (StorageErrors.IsUnavailable(e, ct))
        {
            Log.RecordHeld(logger, e, entity.PartitionKey);
            await spool.HoldAsync(entity, CancellationToken.None);
            metrics.RecordWritten("held");
        }
    }

    /// <summary>
    /// Merges a change into the call's record, then files the record in the index under the change's hour. The ring
    /// carries all the index needs; a later change (hang-up, termination) reads the record back for the call's context
    /// and decision, one point read. Held records come through here too, so the index catches up with them.
    /// </summary>
    public async Task WriteAsync(TableEntity entity, CancellationToken ct)
    {
        var write = table.WithTableAsync<Response>(token => table.UpsertEntityAsync(entity, TableUpdateMode.Merge, token), ct);
        if (entity.ContainsKey(Columns.ReceivedAt))
        {
            // The ring holds all the index needs: both writes go at once, so the webhook waits for one round trip.
            await Task.WhenAll(write, index.WriteAsync(entity, entity, ct));
            return;
        }
        await write;
        await index.WriteAsync(await FindAsync(entity.PartitionKey, ct) ?? entity, entity, ct);
    }

    /// <summary>
    /// Claims an action on a call: the first insert wins, a duplicate delivery (here or on another instance) gets 409.
    /// When storage cannot answer, the action goes ahead: a second reject is harmless, a missed deadline is not.
    /// </summary>
    public async Task<bool> TryClaimAsync(string callId, string action, CancellationToken ct)
    {
        var claim = new TableEntity(callId, ClaimKey(action)) { [Columns.CallId] = callId };
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
        catch (Exception e) when (StorageErrors.IsUnavailable(e, ct))
        {
            Log.ClaimUnavailable(logger, e, action, callId);
            return true;
        }
    }

    /// <summary>Gives a claim back when the action failed, so a later delivery of the notification may try again.</summary>
    public async Task ReleaseClaimAsync(string callId, string action, CancellationToken ct)
    {
        try
        {
            await table.DeleteEntityAsync(callId, ClaimKey(action), cancellationToken: ct);
        }
        catch (Exception e) when (e is RequestFailedException || StorageErrors.IsUnavailable(e, ct))
        {
            // The claim stays: the action will not be retried by a duplicate, which is the safe side.
        }
    }

    private static string ClaimKey(string action) => "claim-" + action;

    /// <summary>Table Storage refuses a string column over 64 KiB; a record keeps the start of a longer value.</summary>
    public const int MaxColumnChars = 16 * 1024;

    private static void CutLongStrings(TableEntity entity)
    {
        foreach (var key in entity.Keys.ToList())
        {
            if (entity[key] is not string { Length: > MaxColumnChars } text) continue;
            var cut = char.IsHighSurrogate(text[MaxColumnChars - 1]) ? MaxColumnChars - 1 : MaxColumnChars;
            entity[key] = text[..cut] + "…";
        }
    }
}
