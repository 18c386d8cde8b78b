using Azure;
using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Platform;

namespace CallFunctions.Records;

/// <summary>A caller's pass of a Challenge rule, remembered until <see cref="Until"/>.</summary>
public sealed record ChallengePass(string CallerKey, string Rule, DateTimeOffset PassedAt, DateTimeOffset Until, string? CallId);

/// <summary>
/// Who passed which Challenge rule, for the rule's <c>Remember</c>, in the table named after the outcomes table plus
/// <c>Passes</c> (<c>CallOutcomesPasses</c>), seen by every instance. PartitionKey the caller (one identity, as
/// <see cref="RingCounts.CallerKey"/> writes it: <c>phone:+14255550123</c>), RowKey the rule's name. A ring of a
/// Challenge rule with Remember reads one row; anonymous callers are never remembered. Retention deletes the passes
/// that expired; <c>challenges forget</c> deletes a caller's.
/// </summary>
public sealed class ChallengePasses([FromKeyedServices(ChallengePasses.TableKey)] TableClient table, TimeProvider clock)
{
    public const string TableKey = "passes";
    public const string TableSuffix = "Passes";

    public TableClient Table => table;

    /// <summary>Remembers a pass; a repeat (a lost answer, a second delivery) writes the same row again.</summary>
    public async Task RememberAsync(string callerKey, string rule, TimeSpan remember, string callId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var row = new TableEntity(callerKey, rule) { ["PassedAt"] = now, ["Until"] = now + remember, [CallRecord.Columns.CallId] = callId };
        await table.WithTableAsync<Response>(token => table.UpsertEntityAsync(row, TableUpdateMode.Replace, token), ct);
    }

    /// <summary>The caller's pass of the rule while it is remembered; null otherwise. Throws when storage cannot answer.</summary>
    public async Task<ChallengePass?> FindAsync(string callerKey, string rule, CancellationToken ct)
    {
        try
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(callerKey, rule, cancellationToken: ct);
            return found.HasValue && Read(found.Value!) is { } pass && pass.Until > clock.GetUtcNow() ? pass : null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null; // no pass was ever written: the table does not exist yet
        }
    }

    /// <summary>Every pass of a caller still remembered, for explain.</summary>
    public async Task<IReadOnlyList<ChallengePass>> OfAsync(Party caller, CancellationToken ct)
    {
        if (RingCounts.CallerKey(caller) is not { } key) return [];
        var passes = new List<ChallengePass>();
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {key}"), cancellationToken: ct))
                if (Read(row) is { } pass && pass.Until > clock.GetUtcNow()) passes.Add(pass);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
        return passes;
    }

    /// <summary>Forgets a caller's passes (of one rule, or all); returns how many were remembered.</summary>
    public async Task<int> ForgetAsync(Party caller, string? rule, CancellationToken ct)
    {
        if (RingCounts.CallerKey(caller) is not { } key) return 0;
        var filter = rule is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {key}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {key} and RowKey eq {rule}");
        return await DeleteAsync(filter, ct);
    }

    /// <summary>Deletes the passes no longer remembered (retention); returns how many went.</summary>
    public Task<int> DeleteExpiredAsync(CancellationToken ct) =>
        DeleteAsync(TableClient.CreateQueryFilter($"Until lt {clock.GetUtcNow()}"), ct);

    private async Task<int> DeleteAsync(string filter, CancellationToken ct)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct)) rows.Add(row);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
            foreach (var chunk in partition.Chunk(100))
                // Repeat after a lost answer: the deletes of rows already gone are dropped and the rest sent again.
                await table.SubmitRepeatableAsync([.. chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All))], ct);
        return rows.Count;
    }

    private static ChallengePass? Read(TableEntity row) =>
        row.GetDateTimeOffset("Until") is { } until
            ? new ChallengePass(row.PartitionKey, row.RowKey, row.GetDateTimeOffset("PassedAt") ?? until, until, row.GetString(CallRecord.Columns.CallId))
            : null;
}
