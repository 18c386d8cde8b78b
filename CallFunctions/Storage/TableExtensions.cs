using Azure;
using Azure.Data.Tables;

namespace CallFunctions.Storage;

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
            await table.CreateIfNotExistsAsync(ct);
            return await operation(ct);
        }
    }
}
