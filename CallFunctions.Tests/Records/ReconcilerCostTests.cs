using System.Globalization;
using Azure.Data.Tables;
using Xunit.Abstractions;

namespace CallFunctions.Tests.Records;

/// <summary>
/// What one run of the reconciler costs, counted by the storage stand-in (every request the app sends to Table Storage)
/// and the Graph stand-in: a period of 10,000 calls of which 100 have no end. The bound is in the open calls; the
/// 9,900 ended calls cost nothing. Prints the figures (docs/benchmarks.md, section "The reconciler").
/// </summary>
public sealed class ReconcilerCostTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-03-10T12:00:00Z", CultureInfo.InvariantCulture);

    [Fact]
    public async Task ARunCostsRequestsInTheOpenCallsNotInTheCallsThePeriodHolds()
    {
        const int calls = 10_000, open = 100;
        await using var app = await TestApp.StartAsync(now: T0, storageFaults: true);
        // Two hours of the index (rung 1 to 3 hours before now), as the webhook files them (written straight to Azurite, not through the stand-in).
        var day = app.IndexTable("20260310");
        await day.CreateIfNotExistsAsync();
        await app.Outcomes.CreateIfNotExistsAsync();
        var entries = Enumerable.Range(0, calls).Select(i =>
        {
            var rang = T0.AddHours(-3).AddSeconds(i * 0.72);
            var id = $"call-{i:D5}";
            var entry = new TableEntity(rang.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture), id)
            {
                ["CallId"] = id, ["ReceivedAt"] = rang, ["DecidedAt"] = rang, ["Caller"] = "phone:+14255550123",
                ["CallType"] = "PeerToPeer", ["Rule"] = "(default)", ["Action"] = "Allow", ["Open"] = i % (calls / open) == 0,
            };
            if (i % (calls / open) != 0)
            {
                entry["TerminatedAt"] = rang.AddMinutes(3);
                entry["Code"] = 200;
                entry["Subcode"] = 5001;
                entry["Meaning"] = "The conversation has ended.";
                entry["EndedBy"] = "Graph";
            }
            return entry;
        }).ToList();
        foreach (var hour in entries.GroupBy(e => e.PartitionKey))
        foreach (var chunk in hour.Chunk(100))
            await day.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
        foreach (var entry in entries.Where(e => e.GetBoolean("Open") == true))
        {
            var record = new TableEntity(entry) { PartitionKey = entry.RowKey, RowKey = "call" };
            record.Remove("Open");
            await app.Outcomes.AddEntityAsync(record);
        }
        var storage = app.StorageFaults!;
        storage.Reset();
        app.Graph.Reset();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var run = await ReconcilerTests.ReconcileAsync(app);
        watch.Stop();

        // The app's rules cache reads its rules table in the background: not the reconciler's.
        var requests = storage.Requests.Where(r => r.Table != app.Rules.Name).ToList();
        var queries = requests.Count(r => r.Method == "GET" && r.RowKey is null);
        var figures = string.Join(Environment.NewLine,
            $"Reconciler, one run over {calls:N0} calls of which {open} open (Azurite through the counting proxy):",
            $"  {run}",
            $"  Table Storage requests: {requests.Count} ({queries} index queries, {requests.Count(r => r.Method == "GET" && r.RowKey is not null)} record reads, {requests.Count(r => r.IsWrite)} writes)",
            $"  Graph requests: {app.Graph.Requests.Count} ({app.Graph.Requests.Count(r => r.Method == "GET")} GET)",
            $"  Per open call: {(double)requests.Count / open:F2} storage requests, {(double)app.Graph.Requests.Count / open:F2} Graph requests",
            $"  The run, from the admin API's trigger to its log line: {watch.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(figures);
        if (Environment.GetEnvironmentVariable("CALLFUNCTIONS_TEST_RESULTS") is { Length: > 0 } results)
            await File.WriteAllTextAsync(Path.Combine(results, "reconciler-cost.txt"), figures + Environment.NewLine);

        Assert.Contains($"{open} call(s) recorded without an end, {open} due; {open} closed", run, StringComparison.Ordinal);
        Assert.Equal(open, app.Graph.Requests.Count);
        // A query per day of the window (this day and the day before), whatever the days hold; then per open call a read,
        // the ask's write, the closing's write and its two index entries (the hour it rang, the hour it was found).
        Assert.InRange(queries, 1, 2);
        Assert.InRange(requests.Count, open, 5 * open + 2);
    }
}
