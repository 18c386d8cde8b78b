using Azure;
using Azure.Data.Tables;

namespace CallFunctions.Platform;

public static class TableExtensions
{
    /// <summary>Runs a table operation, creating the table first if it does not exist yet.</summary>
    public static async Task<T> WithTableAsync<T>(this TableClient table, Func<CancellationToken, Task<T>> operation, CancellationToken ct)
    {
        try
        {
            return await operation(ct);
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode == "TableNotFound")
        {
            // Repeat after a lost answer, or another instance first: the table exists, and the SDK takes the 409 for success.
            await table.CreateIfNotExistsAsync(ct);
            return await operation(ct);
        }
    }

    /// <summary>
    /// Submits one entity-group transaction so that sending it again is safe. A transaction fails whole with 404 when
    /// one of its deletes meets no row: after a lost answer the SDK sends it again and meets the rows its first attempt
    /// deleted, or a row went meanwhile. Either way the same change, without the deletes of rows already gone, is sent
    /// once more, still all at once; its upserts repeat what may have been applied.
    /// </summary>
    public static async Task SubmitRepeatableAsync(this TableClient table, IReadOnlyList<TableTransactionAction> actions, CancellationToken ct)
    {
        try
        {
            await table.SubmitTransactionAsync(actions, ct);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            var left = new List<TableTransactionAction>();
            foreach (var action in actions)
                if (action.ActionType != TableTransactionActionType.Delete || await ExistsAsync(table, action.Entity, ct)) left.Add(action);
            if (left.Count == actions.Count) throw;
            if (left.Count > 0) await table.SubmitTransactionAsync(left, ct);
        }
    }

    private static async Task<bool> ExistsAsync(TableClient table, ITableEntity entity, CancellationToken ct) =>
        (await table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, ["RowKey"], ct)).HasValue;
}
