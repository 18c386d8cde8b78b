using Azure;
using Azure.Data.Tables;
using CallFunctions.Storage;

namespace CallFunctions.Outcomes;

/// <summary>
/// One entity per call in the outcomes table: what the handler knew and did, and how the call ended.
/// PartitionKey is the call id, so writes spread over as many partitions as there are calls.
/// </summary>
public sealed class CallRecords([FromKeyedServices(StorageSetup.OutcomesTable)] TableClient table)
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

    /// <summary>Merges the given columns into the call's one record; columns not given keep their values.</summary>
    public Task SaveAsync(TableEntity entity, CancellationToken ct) =>
        table.WithTableAsync<Response>(token => table.UpsertEntityAsync(entity, TableUpdateMode.Merge, token), ct);
}
