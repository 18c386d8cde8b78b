using System.Globalization;
using Azure;
using Azure.Data.Tables;
using CallFunctions.Platform;
using Microsoft.Extensions.Options;
using C = CallFunctions.Records.CallRecord.Columns;

namespace CallFunctions.Records;

/// <summary>
/// The call records by time, so that a question about a period reads that period only, never the whole history.
/// <para>
/// Keys: one table per UTC day, named after the outcomes table plus the day (<c>CallOutcomes20261129</c>);
/// PartitionKey the UTC hour (<c>2026112915</c>), RowKey the call id. Each entity is a copy of the call's record
/// (context, decision, termination), written with it by upsert-merge in the hour of the event: the ring
/// (ReceivedAt), a hang-up (DecidedAt), the termination (TerminatedAt). A call whose events fall in different hours
/// has an entity in each, merged by call id when read.
/// </para>
/// <para>
/// Why these keys: a period is a handful of whole partitions (a PartitionKey range inside each day's table), so its
/// cost follows the period, not the history; and a day is a table of its own, so retention drops a whole day with one
/// request (Azure's "high volume delete" pattern), and even the emulator, which scans a whole table per query, reads
/// one day. One partition takes an hour's writes: Table Storage serves about 2,000 entities/s per partition, at most
/// ~3 index writes per call, far above a phone line's calls (the load test peaks near 550 notifications/s). The call's
/// own record stays at PartitionKey = call id, where the webhook finds it.
/// </para>
/// </summary>
public sealed class CallIndex(TableServiceClient service, IOptions<OutcomesOptions> options)
{
    private const string DayFormat = "yyyyMMdd";
    private const string HourFormat = "yyyyMMddHH";

    public static string Bucket(DateTimeOffset at) => at.UtcDateTime.ToString(HourFormat, CultureInfo.InvariantCulture);

    public TableClient DayTable(DateOnly day) =>
        service.GetTableClient(options.Value.Table + day.ToString(DayFormat, CultureInfo.InvariantCulture));

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    /// <summary>
    /// Writes the index entities of one change to a call's record. <paramref name="record"/> is the whole record after
    /// the change; <paramref name="change"/> says which event it was, so which hour it is filed under.
    /// </summary>
    /// <param name="changedAt">When a change that carries no time of its own (a challenge's step) happened.</param>
    public async Task WriteAsync(TableEntity record, TableEntity change, CancellationToken ct, DateTimeOffset? changedAt = null)
    {
        var times = new[]
            {
                change.GetDateTimeOffset(C.TerminatedAt) ?? change.GetDateTimeOffset(C.ReceivedAt) ?? change.GetDateTimeOffset(C.DecidedAt) ?? changedAt,
                record.GetDateTimeOffset(C.ReceivedAt),
                // An end that comes after the reconciler closed the record also replaces the entry the closing filed.
                change.ContainsKey(C.TerminatedAt) ? record.GetDateTimeOffset(C.ReconciledAt) : null,
            }
            .OfType<DateTimeOffset>()
            .Select(Bucket)
            .Distinct();
        foreach (var bucket in times) await FileAsync(record, change, bucket, ct);
    }

    /// <summary>
    /// Files a copy of the record under an hour. <see cref="Open"/> marks the calls without an end, so the reconciler
    /// reads only those (<see cref="OpenAsync"/>).
    /// </summary>
    public async Task FileAsync(TableEntity record, TableEntity change, string bucket, CancellationToken ct)
    {
        var entity = new TableEntity(bucket, record.PartitionKey);
        foreach (var (key, value) in record)
            if (key is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp") && value is not null) entity[key] = value;
        entity[Open] = !record.ContainsKey(C.TerminatedAt) && !change.ContainsKey(C.TerminatedAt);
        var table = DayTable(DayOf(bucket));
        // Repeat after a lost answer: the same copy merged again under the same keys, still one entry per call and hour.
        await table.WithTableAsync<Response>(token => table.UpsertEntityAsync(entity, TableUpdateMode.Merge, token), ct);
    }

    /// <summary>An index entry's own column: true while the call it copies has no end.</summary>
    public const string Open = nameof(Open);

    private static DateOnly DayOf(string bucket) =>
        DateOnly.ParseExact(bucket[..DayFormat.Length], DayFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// The entries marked <see cref="Open"/> under the hours of [from, to]: one filtered query per day, so the cost
    /// follows the open calls and the days, not the calls those hours hold. Each entry keeps its keys (hour, call id).
    /// </summary>
    public async Task<List<TableEntity>> OpenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var entries = new List<TableEntity>();
        for (var day = Day(from); day <= Day(to); day = day.AddDays(1))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey ge {Bucket(from)} and PartitionKey le {Bucket(to)} and Open eq {true}");
            try
            {
                await foreach (var entry in DayTable(day).QueryAsync<TableEntity>(filter,
                                   select: ["PartitionKey", "RowKey", C.ReceivedAt, C.DecidedAt, C.TerminatedAt, C.ReconciledAt, C.HungUpAt, Reconciler.BotInCallUntil], cancellationToken: ct))
                    entries.Add(entry);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // No call that day: its table was never created.
            }
        }
        return entries;
    }

    /// <summary>
    /// The calls with an event (ring, decision or end) in [from, to), one merged entity per call shaped like its record
    /// (PartitionKey = call id). Without <paramref name="from"/>, every day the index holds.
    /// </summary>
    public async Task<List<TableEntity>> ReadAsync(DateTimeOffset? from, DateTimeOffset to, CancellationToken ct)
    {
        var last = to.AddTicks(-1);
        var days = from is { } start
            ? Enumerable.Range(0, Math.Max(0, Day(last).DayNumber - Day(start).DayNumber + 1)).Select(i => Day(start).AddDays(i)).ToList()
            : (await DaysAsync(ct)).Where(d => d <= Day(last)).ToList();
        var found = new List<TableEntity>[days.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, days.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, token) => found[i] = await ReadDayAsync(days[i], from is { } f && Day(f) == days[i] ? Bucket(f) : null,
                Day(last) == days[i] ? Bucket(last) : null, token));
        return [.. found.SelectMany(f => f)
            .GroupBy(e => e.RowKey, StringComparer.Ordinal)
            .Select(Merge)
            .Where(e => InPeriod(e, from, to))];
    }

    private async Task<List<TableEntity>> ReadDayAsync(DateOnly day, string? firstBucket, string? lastBucket, CancellationToken ct)
    {
        var filter = string.Join(" and ", new[]
        {
            firstBucket is null ? null : TableClient.CreateQueryFilter($"PartitionKey ge {firstBucket}"),
            lastBucket is null ? null : TableClient.CreateQueryFilter($"PartitionKey le {lastBucket}"),
        }.OfType<string>());
        var list = new List<TableEntity>();
        try
        {
            await foreach (var entity in DayTable(day).QueryAsync<TableEntity>(filter.Length == 0 ? null : filter, cancellationToken: ct))
                list.Add(entity);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No call that day: its table was never created.
        }
        return list;
    }

    /// <summary>The record an index entry copies: its keys are the hour and the call id, not the record's.</summary>
    public static CallRecord RecordOf(TableEntity entry) => CallRecord.From(entry) with { CallId = entry.RowKey };

    /// <summary>The days that have an index table, oldest first.</summary>
    public async Task<List<DateOnly>> DaysAsync(CancellationToken ct)
    {
        var prefix = options.Value.Table;
        var days = new List<DateOnly>();
        var filter = TableClient.CreateQueryFilter($"TableName ge {prefix + "0"} and TableName lt {prefix + ":"}");
        await foreach (var table in service.QueryAsync(filter, cancellationToken: ct))
        {
            var name = table.Name;
            if (name.Length == prefix.Length + DayFormat.Length && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && DateOnly.TryParseExact(name[prefix.Length..], DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                days.Add(day);
        }
        days.Sort();
        return days;
    }

    /// <summary>One call's entities from different hours: the one written last wins where they differ.</summary>
    private static TableEntity Merge(IGrouping<string, TableEntity> entities)
    {
        var merged = CallRecord.New(entities.Key);
        foreach (var entity in entities.OrderBy(e => e.Timestamp))
        foreach (var (key, value) in entity)
            if (key is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp") && value is not null) merged[key] = value;
        return merged;
    }

    private static bool InPeriod(TableEntity call, DateTimeOffset? from, DateTimeOffset to) =>
        new[] { call.GetDateTimeOffset(C.ReceivedAt), call.GetDateTimeOffset(C.DecidedAt), call.GetDateTimeOffset(C.TerminatedAt) }
            .Any(t => t is { } at && (from is null || at >= from) && at < to);
}
