using System.Diagnostics;
using Azure.Data.Tables;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>
/// What Azurite takes with no handler in front of it: the two writes of an incoming call (the claim insert, then the
/// record upsert) sent straight from the harness with the Azure SDK, over the same number of connections.
/// </summary>
public sealed class StorageLoad(string connectionString, string table, int connections)
{
    private readonly TableClient _table = new TableServiceClient(connectionString).GetTableClient(table);

    public async Task<LoadResult> RunAsync(TimeSpan duration)
    {
        var pairs = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (watch.Elapsed < duration)
            {
                await WriteAsync();
                Interlocked.Increment(ref pairs);
            }
        }));
        watch.Stop();
        return new LoadResult("storage", pairs, pairs, 0, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Milliseconds for one pair of writes, one call at a time.</summary>
    public async Task<double> SequentialAsync(int count)
    {
        await WriteAsync();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) await WriteAsync();
        return watch.Elapsed.TotalMilliseconds / count;
    }

    private async Task WriteAsync()
    {
        var callId = Guid.NewGuid().ToString();
        await _table.AddEntityAsync(new TableEntity(callId, "claim-reject"));
        await _table.UpsertEntityAsync(new TableEntity(callId, "call") { ["Action"] = "Reject", ["Rule"] = "block-test-number" }, TableUpdateMode.Merge);
    }
}
