using Azure;
using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Platform;

namespace CallFunctions.Records;

/// <summary>
/// Stores call records (<see cref="CallRecord"/>): each change is merged into the call's one record and filed in the
/// index under its hour; while Table Storage cannot take it, it is held on local disk.
/// </summary>
/// <remarks>
/// The calls whose ring this instance filed in the index are remembered with that hour (<see cref="CallMemory"/>): a
/// later change (hang-up, termination) in the same hour merges its own columns into that entry, with no read of the
/// record. Otherwise (another hour, another instance, a restart) the change reads the record back to file a whole copy
/// under its hour.
/// </remarks>
public sealed class CallRecords(
    [FromKeyedServices(StorageSetup.OutcomesTable)] TableClient table,
    CallIndex index,
    RecordSpool spool,
    CallMemory memory,
    CallMetrics metrics,
    TimeProvider clock,
    ILogger<CallRecords> logger)
{
    public TableClient Table => table;

    /// <summary>Records how the call ended (Graph's resultInfo and its documented meaning); returns the meaning.</summary>
    public async Task<string> RecordEndAsync(CallEvent call, CancellationToken ct)
    {
        var result = call.Result;
        var meaning = TerminationCodes.Describe(result?.Code, result?.Subcode);
        await SaveAsync(CallRecord.Termination(call, meaning, clock.GetUtcNow()), RecordKind.Termination, ct);
        Log.TerminationRecorded(logger, call.CallId, result?.Code, result?.Subcode, meaning);
        return meaning;
    }

    public async Task<TableEntity?> FindAsync(string callId, CancellationToken ct)
    {
        var found = await table.WithTableAsync(
            token => table.GetEntityIfExistsAsync<TableEntity>(callId, CallRecord.RowKey, cancellationToken: token), ct);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>
    /// Merges the given columns into the call's one record; columns not given keep their values. When Table Storage
    /// is unavailable the record is held on local disk and written later; only when that fails too does this throw.
    /// </summary>
    public async Task SaveAsync(TableEntity entity, RecordKind kind, CancellationToken ct)
    {
        CallRecord.CutLongStrings(entity);
        try
        {
            await WriteAsync(entity, ct);
            metrics.RecordWritten(kind);
        }
        catch (Exception e) when (StorageFailure.IsUnavailable(e, ct))
        {
            Log.RecordHeld(logger, e, entity.PartitionKey);
            await spool.HoldAsync(entity, CancellationToken.None);
            metrics.RecordWritten(RecordKind.Held);
        }
    }

    /// <summary>
    /// Merges a change into the call's record, then files the record in the index under the change's hour. The ring
    /// carries all the index needs; a later change (hang-up, termination) in the hour this instance filed the ring under
    /// merges its own columns into that entry; in another hour it reads the record back for the call's context and
    /// decision, one point read. Held records come through here too, so the index catches up with them.
    /// </summary>
    public async Task WriteAsync(TableEntity entity, CancellationToken ct)
    {
        var callId = entity.PartitionKey;
        // Repeat after a lost answer (the SDK's retry, or the spool's next pass): the same columns merged again, the same
        // record; columns the change does not carry keep their values.
        var write = table.WithTableAsync<Response>(token => table.UpsertEntityAsync(entity, TableUpdateMode.Merge, token), ct);
        if (entity.ContainsKey(CallRecord.Columns.ReceivedAt))
        {
            // The ring holds all the index needs: both writes go at once, so the webhook waits for one round trip.
            await Task.WhenAll(write, index.WriteAsync(entity, entity, ct));
            if (entity.GetDateTimeOffset(CallRecord.Columns.ReceivedAt) is not { } rang) return;
            memory.Filed(callId, CallIndex.Bucket(rang));
            return;
        }
        await write;
        // The hour of the change: its end, its decision, or (a challenge's step) now.
        var at = entity.GetDateTimeOffset(CallRecord.Columns.TerminatedAt) ?? entity.GetDateTimeOffset(CallRecord.Columns.DecidedAt) ?? clock.GetUtcNow();
        var sameHour = at is { } t && memory.Find(callId)?.FiledHour is { } bucket && CallIndex.Bucket(t) == bucket;
        await index.WriteAsync(sameHour ? entity : await FindAsync(callId, ct) ?? entity, entity, ct, at);
        if (entity.ContainsKey(CallRecord.Columns.TerminatedAt)) memory.Ended(callId);
    }
}
