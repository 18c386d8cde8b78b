using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using CallFunctions.Records;
using CallFunctions.Operators.Outcomes;
using Microsoft.Extensions.Options;

namespace CallFunctions.Benchmarks.Harness;

public sealed record QueryRun(string Name, int Records, int Calls, double Milliseconds, int Requests, int Terminations);

public sealed record QueryResult(QueryRun Day, QueryRun History, QueryRun? WholeTable, double SeedSeconds, int Runs)
{
    public double TimeRatio => History.Milliseconds / Day.Milliseconds;

    public double RequestRatio => (double)History.Requests / Day.Requests;
}

/// <summary>
/// A one-day summary (<see cref="OutcomeQueries.SummarizeAsync"/>, the product code) against an outcomes table holding
/// 100 days of records and against one holding only that day, through a proxy that counts storage requests. The
/// records and their index entries are written as the webhook writes them (one record per call partition, one index
/// entry per call in its day's table and hour), the index entries in batch transactions.
/// </summary>
public static class Query
{
    public const int Days = 100;
    public const int PerDay = 1_000;
    private static readonly DateOnly LastDay = new(2026, 3, 31);
    private static readonly string[] Rules = ["block-premium", "office-hours", "(default)", "no-anonymous", "holidays"];

    public static async Task<QueryResult> RunAsync(int runs = 7)
    {
        await using var storage = await Azurite.StartAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var history = "QueryHistory" + suffix;
        var day = "QueryDay" + suffix;
        var direct = new TableServiceClient(storage.ConnectionString);

        var seed = Stopwatch.StartNew();
        Console.WriteLine($"  seeding {Days * PerDay:N0} records over {Days} days, and {PerDay:N0} in a table of one day...");
        await SeedAsync(direct, history, Enumerable.Range(0, Days).Select(i => LastDay.AddDays(-i)));
        await SeedAsync(direct, day, [LastDay]);
        seed.Stop();
        Console.WriteLine($"  seeded in {seed.Elapsed.TotalSeconds:F0} s");

        await using var proxy = await CountingProxy.StartAsync(storage.Port);
        var counted = new TableServiceClient(proxy.ConnectionString(storage.ConnectionString));
        var from = new DateTimeOffset(LastDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = from.AddDays(1);
        var dayRuns = new List<(double Ms, int Requests, OutcomeSummary Summary)>();
        var historyRuns = new List<(double Ms, int Requests, OutcomeSummary Summary)>();
        await SummaryAsync(counted, proxy, day, from, to);
        await SummaryAsync(counted, proxy, history, from, to);
        for (var i = 0; i < runs; i++)
        {
            dayRuns.Add(await SummaryAsync(counted, proxy, day, from, to));
            historyRuns.Add(await SummaryAsync(counted, proxy, history, from, to));
        }
        var wholeTable = await WholeTableAsync(counted, proxy, history, from, to);
        return new QueryResult(
            Median("one day", PerDay, dayRuns),
            Median($"{Days} days", Days * PerDay, historyRuns),
            wholeTable, seed.Elapsed.TotalSeconds, runs);
    }

    private static QueryRun Median(string name, int records, List<(double Ms, int Requests, OutcomeSummary Summary)> runs)
    {
        var sorted = runs.OrderBy(r => r.Ms).ToList();
        var median = sorted[sorted.Count / 2];
        return new QueryRun(name, records, PerDay, median.Ms, median.Requests, median.Summary.Terminations);
    }

    private static async Task<(double Ms, int Requests, OutcomeSummary Summary)> SummaryAsync(
        TableServiceClient service, CountingProxy proxy, string table, DateTimeOffset from, DateTimeOffset to)
    {
        var queries = new OutcomeQueries(new CallIndex(service, Options.Create(new OutcomesOptions { Table = table })), TimeProvider.System);
        proxy.Counts.Clear();
        var watch = Stopwatch.StartNew();
        var summary = await queries.SummarizeAsync(from, to, CancellationToken.None);
        watch.Stop();
        return (watch.Elapsed.TotalMilliseconds, proxy.Counts.Values.Sum(), summary);
    }

    /// <summary>For reference, what the summary did before the index: a filter on TerminatedAt over every record.</summary>
    private static async Task<QueryRun> WholeTableAsync(TableServiceClient service, CountingProxy proxy, string table, DateTimeOffset from, DateTimeOffset to)
    {
        var client = service.GetTableClient(table);
        proxy.Counts.Clear();
        var watch = Stopwatch.StartNew();
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"TerminatedAt ge {from} and TerminatedAt lt {to}");
        await foreach (var row in client.QueryAsync<TableEntity>(filter, select: ["TerminatedAt", "Code", "Subcode", "Meaning", "Rule", "Action"]))
            rows.Add(row);
        var summary = OutcomeSummary.Count(rows, from, to);
        watch.Stop();
        return new QueryRun($"{Days} days, no index", Days * PerDay, PerDay, watch.Elapsed.TotalMilliseconds, proxy.Counts.Values.Sum(), summary.Terminations);
    }

    private static async Task SeedAsync(TableServiceClient service, string table, IEnumerable<DateOnly> days)
    {
        var records = service.GetTableClient(table);
        await records.CreateIfNotExistsAsync();
        foreach (var day in days)
        {
            var index = service.GetTableClient(table + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
            await index.CreateIfNotExistsAsync();
            var calls = Enumerable.Range(0, PerDay).Select(i => Call(day, i)).ToList();
            await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (call, ct) =>
                await records.AddEntityAsync(call, ct));
            var batches = calls
                .Select(c => new TableEntity(CallIndex.Bucket(c.GetDateTimeOffset("ReceivedAt")!.Value), c.PartitionKey).WithColumnsOf(c))
                .GroupBy(e => e.PartitionKey)
                .SelectMany(g => g.Chunk(100));
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, ct) =>
                await index.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), ct));
        }
    }

    /// <summary>A call that rang at a spread-out time of the day, was decided by one of a few rules and ended a minute later.</summary>
    private static TableEntity Call(DateOnly day, int i)
    {
        var callId = Guid.NewGuid().ToString();
        var rang = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddSeconds(i * 86_000.0 / PerDay);
        var rule = Rules[i % Rules.Length];
        return new TableEntity(callId, "call")
        {
            ["CallId"] = callId, ["Caller"] = $"phone:+1425555{i % 10_000:D4}", ["Callee"] = "applicationInstance:7629a4a1",
            ["CallType"] = "PeerToPeer", ["ReceivedAt"] = rang, ["DecidedAt"] = rang, ["Rule"] = rule,
            ["Action"] = rule is "office-hours" or "(default)" ? "Allow" : "Reject", ["TerminatedAt"] = rang.AddMinutes(1),
            ["Code"] = 200, ["Subcode"] = 5001, ["Meaning"] = TerminationCodes.Describe(200, 5001),
        };
    }

    private static TableEntity WithColumnsOf(this TableEntity entity, TableEntity record)
    {
        foreach (var (key, value) in record)
            if (key is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp")) entity[key] = value;
        return entity;
    }
}
