using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using CallFunctions.Storage;
using CallFunctions.Telemetry;

namespace CallFunctions.Outcomes;

/// <summary>
/// Stores call records (<see cref="CallRecord"/>): each change is merged into the call's one record and filed in the
/// index under its hour; while Table Storage cannot take it, it is held on local disk.
/// </summary>
public sealed class CallRecords(
    [FromKeyedServices(StorageSetup.OutcomesTable)] TableClient table,
    CallIndex index,
    RecordSpool spool,
    CallMetrics metrics,
    ILogger<CallRecords> logger)
{
    /// <summary>Bounds <see cref="_filed"/>: past it, the memory starts again and changes read the record back.</summary>
    private const int FiledCapacity = 20_000;

    /// <summary>
    /// The calls whose ring this instance filed in the index, with that hour: a later change (hang-up, termination) in
    /// the same hour merges its own columns into that entry, with no read of the record. Otherwise (another hour,
    /// another instance, a restart) the change reads the record back to file a whole copy under its hour.
    /// </summary>
    private readonly ConcurrentDictionary<string, string> _filed = new(StringComparer.Ordinal);

    public TableClient Table => table;

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
            if (_filed.Count >= FiledCapacity) _filed.Clear();
            _filed[callId] = CallIndex.Bucket(rang);
            return;
        }
        await write;
        var at = entity.GetDateTimeOffset(CallRecord.Columns.TerminatedAt) ?? entity.GetDateTimeOffset(CallRecord.Columns.DecidedAt);
        var sameHour = at is { } t && _filed.TryGetValue(callId, out var bucket) && CallIndex.Bucket(t) == bucket;
        await index.WriteAsync(sameHour ? entity : await FindAsync(callId, ct) ?? entity, entity, ct);
        if (entity.ContainsKey(CallRecord.Columns.TerminatedAt)) _filed.TryRemove(callId, out _);
    }
}
