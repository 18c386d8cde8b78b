using Azure;
using Azure.Data.Tables;
using CallFunctions.Platform;
using Microsoft.Extensions.Options;

namespace CallFunctions.Records;

public sealed record RetentionReport(DateTimeOffset? Cutoff, int Calls, int IndexEntities, int DayTables, int Rings = 0, int Passes = 0);

/// <summary>
/// Deletes call records, their claims and their index entries older than Outcomes__RetentionDays (phone numbers are
/// personal data). The old calls are found through the index, hour by hour, never by scanning the records; their
/// callers' rings (<see cref="RingCounts"/>) at or before the cutoff go with them. The passes of Challenge rules go when
/// their rule's Remember ends (<see cref="ChallengePasses"/>).
/// </summary>
public sealed class RecordRetention(
    CallIndex index,
    CallRecords records,
    RingCounts rings,
    ChallengePasses passes,
    IOptions<OutcomesOptions> options,
    TimeProvider clock,
    ILogger<RecordRetention> logger)
{
    /// <summary>Transactions hold at most 100 entities, all of one partition.</summary>
    private const int TransactionLimit = 100;

    /// <summary>One pass, for a timer to call: every whole hour older than the retention period goes.</summary>
    public async Task<RetentionReport> RunOnceAsync(CancellationToken ct)
    {
        // A Challenge rule's Remember says how long a pass is kept, whatever the records' retention.
        var expired = await passes.DeleteExpiredAsync(ct);
        if (expired > 0) Log.PassesDeleted(logger, expired);
        var days = options.Value.RetentionDays;
        if (days == 0) return new RetentionReport(null, 0, 0, 0, Passes: expired);
        var cutoff = clock.GetUtcNow() - TimeSpan.FromDays(days);
        var cutoffDay = DateOnly.FromDateTime(cutoff.UtcDateTime);
        var firstKept = CallIndex.Bucket(cutoff); // the hour that holds the cutoff is kept whole
        int calls = 0, entries = 0, tables = 0, ringRows = 0;
        foreach (var day in (await index.DaysAsync(ct)).Where(d => d <= cutoffDay))
        {
            var table = index.DayTable(day);
            // The index entries as they are, for their keys (the deletes below); what they copy of the calls, as records.
            var old = new List<TableEntity>();
            var filter = day < cutoffDay ? null : TableClient.CreateQueryFilter($"PartitionKey lt {firstKept}");
            await foreach (var entry in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", CallRecord.Columns.Caller], cancellationToken: ct))
                old.Add(entry);
            var oldCalls = old.Select(CallIndex.RecordOf).ToList();

            // A caller's partition of rings holds their rings of every day: only those at or before the cutoff go.
            foreach (var call in oldCalls.Where(c => c.Caller is not null).DistinctBy(c => c.Caller, StringComparer.Ordinal))
                ringRows += await rings.DeleteBeforeAsync(call.Context.Source, cutoff, ct);

            // Records before their index entries: a pass that stops midway leaves the entries that find what remains.
            var callIds = oldCalls.Select(c => c.CallId).Distinct(StringComparer.Ordinal).ToList();
            await Parallel.ForEachAsync(callIds, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
                async (callId, token) => await DeleteCallAsync(callId, token));
            calls += callIds.Count;
            if (day < cutoffDay)
            {
                // A whole day is a table: one request drops it, however many calls it held. Repeat after a lost answer:
                // the table is gone, and the SDK answers its 404 without throwing.
                await table.DeleteAsync(ct);
                tables++;
                entries += old.Count;
            }
            else
            {
                foreach (var partition in old.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
                foreach (var chunk in partition.Chunk(TransactionLimit))
                {
                    // Repeat after a lost answer: its deletes meet 404, which counts as done (SubmitRepeatableAsync).
                    await table.SubmitRepeatableAsync([.. chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All))], ct);
                    entries += chunk.Length;
                }
            }
        }
        Log.RetentionDone(logger, calls, entries, tables, days, cutoff);
        if (ringRows > 0) Log.RingsDeleted(logger, ringRows, cutoff);
        return new RetentionReport(cutoff, calls, entries, tables, ringRows, expired);
    }

    /// <summary>A call's partition holds its record and claims: they go together, in one transaction.</summary>
    private async Task DeleteCallAsync(string callId, CancellationToken ct)
    {
        var table = records.Table;
        // Keys only, as untyped rows: a delete needs nothing else of the record or its claims.
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {callId}"), select: ["PartitionKey", "RowKey"], cancellationToken: ct))
            rows.Add(row);
        // Repeat after a lost answer, or rows deleted meanwhile (a call indexed under two hours, a released claim): the
        // deletes that meet 404 are done, the rest go together (SubmitRepeatableAsync).
        foreach (var chunk in rows.Chunk(TransactionLimit))
            await table.SubmitRepeatableAsync([.. chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All))], ct);
    }
}
