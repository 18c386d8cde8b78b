using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace CallFunctions.Tests;

/// <summary>
/// Drives notifications through the real handler, a real Azurite and the Graph stand-in, with 10% of Graph's answers
/// 429 and duplicate deliveries; a second run adds storage faults and a second instance. ./test.sh runs 1,000
/// notifications (and 500 with faults); ./load-test.sh runs 10,000 (LOAD_NOTIFICATIONS, LOAD_CONNECTIONS).
/// </summary>
/// <remarks>
/// It runs alone, after the other test classes: on a 2-core machine, other tests' hosts starting beside it slowed the
/// app's answers past Calls__ResponseSeconds, and the test would measure the machine, not the app.
/// </remarks>
[Trait("Category", "Load")]
[Collection(Alone)]
public sealed class LoadTests(ITestOutputHelper output)
{
    public const string Alone = "Runs alone";

    private sealed record Call(string Id, string Caller, string Kind);

    [Fact]
    public Task EveryRejectedCallGetsOneRejectEveryCallOneRecordAndNoAnswerIs5xx() =>
        RunAsync(Setting("LOAD_NOTIFICATIONS", 1000), storageFaults: false, "load-test");

    /// <summary>
    /// The same on a bad day for storage: the stand-in before Azurite loses 2% of the answers after Azurite acted,
    /// answers 2% with 503 and holds 1% for 3 s; duplicates go to two instances at once. Half the notifications of the
    /// run above, so the suite's time grows less.
    /// </summary>
    [Fact]
    public Task WithStorageFaultsAndDuplicatesOnTwoInstancesEveryBlockedCallIsStillActedOnOnce() =>
        RunAsync(Math.Max(100, Setting("LOAD_NOTIFICATIONS", 1000) / 2), storageFaults: true, "load-test-storage-faults");

    private async Task RunAsync(int total, bool storageFaults, string reportName)
    {
        var connections = Setting("LOAD_CONNECTIONS", 64);
        // The longest deadline a call may have: on a loaded machine a notification can wait seconds for its turn, and a
        // retry after a 429 would then be skipped for want of time, which GraphFaultTests check. Here every call must
        // be acted on once, however slow the machine.
        await using var app = await TestApp.StartAsync(
        [
            Rows.Rule("block-425", 10, "Reject", caller: "+1425*", reason: "Busy"),
            Rows.Rule("drop-900", 20, "HangUp", caller: "+1900*"),
        ], new Dictionary<string, string?> { ["Calls:DeadlineSeconds"] = "120" }, ownHost: true, storageFaults: storageFaults);
        await using var other = storageFaults ? await app.AnotherInstanceAsync() : null;
        var random = new Random(20261124);
        app.Graph.Answer = _ =>
        {
            lock (random) return random.NextDouble() < 0.10 ? new GraphFault(429, RetryAfter: "1") : null;
        };
        List<StorageRule> faults = [];
        if (app.StorageFaults is { } storage)
        {
            var rolls = new Random(20261202);
            Func<StorageRequest, bool> Share(double p) => _ => { lock (rolls) return rolls.NextDouble() < p; };
            faults =
            [
                storage.Inject(Share(0.02), StorageFault.LoseAnswer, int.MaxValue),
                storage.Inject(Share(0.02), StorageFault.Error(503), int.MaxValue),
                storage.Inject(Share(0.01), new StorageFault(StorageFaultKind.DelayRequest, Delay: TimeSpan.FromSeconds(3)), int.MaxValue),
            ];
        }
        var calls = MakeCalls(total, new Random(7));
        HttpClient Client(TestApp instance)
        {
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections })
            {
                BaseAddress = instance.Client.BaseAddress,
                Timeout = TimeSpan.FromSeconds(30),
            };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", app.Identity.Token());
            return client;
        }
        using var one = Client(app);
        using var two = other is null ? null : Client(other);
        var latencies = new ConcurrentBag<double>();
        var statuses = new ConcurrentDictionary<int, int>();
        var sent = 0;
        var pending = 0;

        // True when the app answered before its work on the notification was done ("pending"; Calls__ResponseSeconds).
        async Task<bool> SendAsync(string body, HttpClient? to = null)
        {
            var watch = Stopwatch.StartNew();
            using var response = await (to ?? one).PostAsync("/api/calls", new StringContent(body, Encoding.UTF8, "application/json"));
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            Interlocked.Increment(ref sent);
            var items = response.StatusCode == HttpStatusCode.Accepted
                ? System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray()
                : [];
            var unfinished = items.Any(i => i!["outcome"]!.GetValue<string>() == "pending");
            if (unfinished) Interlocked.Increment(ref pending);
            return unfinished;
        }

        // What the log of both instances says of a call, to name it when an assertion fails.
        string Said(string callId) => string.Join("\n", new[] { app, other }.OfType<TestApp>().SelectMany(a => a.Logs.Lines)
            .Where(l => l.Message.Contains(callId, StringComparison.Ordinal) || (l.Scope.TryGetValue("CallId", out var id) && id as string == callId))
            .Select(l => $"{l.Level} {l.EventId} {l.Message}"));

        async Task KeepLogsAsync()
        {
            var results = Environment.GetEnvironmentVariable("CALLFUNCTIONS_TEST_RESULTS") ?? Path.GetTempPath();
            await File.WriteAllTextAsync(Path.Combine(results, reportName + "-host.log"), app.Logs.Text);
            if (other is not null) await File.WriteAllTextAsync(Path.Combine(results, reportName + "-host2.log"), other.Logs.Text);
        }

        // A call moves on once the app has acted: the next notification of a call waits for work still pending on the last
        // one. Sent at once, a call's end could overtake the hang-up, and then no hang-up is right.
        async Task AfterWorkAsync(bool unfinished, string callId, Func<Azure.Data.Tables.TableEntity, bool> done)
        {
            if (!unfinished) return;
            try
            {
                // The app acts within the call's deadline (120 s here) or gives up, and records either.
                await app.WaitForRecordAsync(callId, done, TimeSpan.FromSeconds(130));
            }
            catch (TimeoutException e)
            {
                var record = await app.RecordAsync(callId);
                await KeepLogsAsync();
                throw new TimeoutException(
                    $"{e.Message}\nRecord: {string.Join(", ", record?.Select(p => $"{p.Key}={p.Value}") ?? [])}\n" +
                    $"Graph: {string.Join(", ", app.GraphRequestsFor(callId).Select(r => $"{r.Method} {r.Status} at {r.At:HH:mm:ss.fff}"))}\n" +
                    $"Log:\n{Said(callId)}", e);
            }
        }

        var queue = new ConcurrentQueue<(Call Call, int Index)>(calls.Select((c, i) => (c, i)));
        var run = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (queue.TryDequeue(out var next))
            {
                var (call, index) = next;
                var incoming = Notify.Incoming(call.Id, Notify.Phone(call.Caller));
                // Every tenth call is delivered twice at once (to the second instance when there is one): the claim in
                // the store decides, not process memory.
                var answers = await Task.WhenAll(index % 10 == 0 ? [SendAsync(incoming), SendAsync(incoming, two)] : new[] { SendAsync(incoming) });
                await AfterWorkAsync(answers.Any(a => a), call.Id, r => r.GetString("Action") is not null);
                var established = await SendAsync(Notify.Batch(Notify.UpdatedItem(call.Id, "established")));
                await AfterWorkAsync(established && call.Kind == "hangup", call.Id, r => r.GetString("Action") == "HangUp");
                var ended = Notify.Sample("terminated-5002-real.json", call.Id);
                await Task.WhenAll(index % 10 == 5 ? [SendAsync(ended), SendAsync(ended, two)] : new[] { SendAsync(ended) });
            }
        }));
        run.Stop();

        var records = await WaitForAllRecordsAsync(app, calls);
        var succeeded = app.Graph.Requests.Where(r => r.Status is >= 200 and < 300).ToList();
        var throttled = app.Graph.Requests.Count(r => r.Status == 429);
        var sorted = latencies.Order().ToArray();
        var report = string.Join(Environment.NewLine, new[]
        {
            $"notifications sent: {sent} over {connections} connections in {run.Elapsed.TotalSeconds:F1} s ({sent / run.Elapsed.TotalSeconds:F0}/s)",
            $"calls: {calls.Count} ({calls.Count(c => c.Kind == "reject")} to reject, {calls.Count(c => c.Kind == "hangup")} to hang up, {calls.Count(c => c.Kind == "allow")} allowed)",
            $"webhook answers: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}"))}, {pending} before the work was done",
            $"graph requests: {app.Graph.Requests.Count} ({succeeded.Count} succeeded, {throttled} answered 429)",
            app.StorageFaults is { } faulted
                ? $"storage requests: {faulted.Requests.Count} on {(other is null ? 1 : 2)} instance(s); {faults[0].Hits} answers lost after Azurite acted, {faults[1].Hits} answered 503, {faults[2].Hits} held 3 s"
                : null,
            $"records: {records.Count} for {calls.Count} calls, {records.Count(r => r.GetDateTimeOffset("TerminatedAt") is not null)} with their termination",
            $"webhook latency: p50 {Percentile(sorted, 0.50):F1} ms, p99 {Percentile(sorted, 0.99):F1} ms, max {sorted[^1]:F1} ms",
        }.OfType<string>());
        output.WriteLine(report);
        await WriteReportAsync(reportName, report);

        // Every call that went wrong, by id, with what Graph, the record and the log say of it.
        var wrong = new List<string>();
        foreach (var call in calls)
        {
            var actions = succeeded.Where(r => r.Path.Contains(call.Id, StringComparison.Ordinal)).ToList();
            var expected = call.Kind switch { "reject" => "POST", "hangup" => "DELETE", _ => null };
            if (expected is null ? actions.Count == 0 : actions.Count == 1 && actions[0].Method == expected) continue;
            var record = records.FirstOrDefault(r => r.PartitionKey == call.Id);
            wrong.Add($"call {call.Id} ({call.Kind}, caller {call.Caller}): {actions.Count} successful action(s) " +
                      $"[{string.Join(", ", app.GraphRequestsFor(call.Id).Select(r => $"{r.Method} {r.Status} at {r.At:HH:mm:ss.fff}"))}]\n" +
                      $"Record: {string.Join(", ", record?.Select(p => $"{p.Key}={p.Value}") ?? [])}\nLog:\n{Said(call.Id)}");
        }
        if (wrong.Count > 0) await KeepLogsAsync();
        Assert.True(wrong.Count == 0, $"{wrong.Count} call(s) not acted on exactly as their rule says:\n{string.Join("\n\n", wrong.Take(5))}");

        Assert.Equal(sent, statuses.Values.Sum());
        Assert.DoesNotContain(statuses.Keys, s => s >= 500);
        Assert.Equal([202], statuses.Keys);
        Assert.Equal(calls.Count, records.Count);
        Assert.All(records, r => Assert.Equal(5002, r.GetInt32("Subcode")));
    }

    private static List<Call> MakeCalls(int notifications, Random random)
    {
        // A call brings 3.2 notifications on average: incoming, established, terminated, and 10% duplicates of two.
        var count = (int)Math.Ceiling(notifications / 3.2);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var roll = random.NextDouble();
            var (prefix, kind) = roll < 0.4 ? ("+1425", "reject") : roll < 0.6 ? ("+1900", "hangup") : ("+1206", "allow");
            return new Call(Notify.NewCallId(), prefix + random.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture), kind);
        })];
    }

    private static async Task<List<Azure.Data.Tables.TableEntity>> WaitForAllRecordsAsync(TestApp app, List<Call> calls)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var records = (await app.AllRecordsAsync()).Where(r => r.RowKey == "call").ToList();
            var complete = records.Count(r => r.GetDateTimeOffset("TerminatedAt") is not null && r.GetString("Action") is not null);
            if (complete >= calls.Count || DateTime.UtcNow > until) return records;
            await Task.Delay(250);
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    private static async Task WriteReportAsync(string name, string report)
    {
        var folder = Repo.Path("artifacts");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, name + ".txt"), report + Environment.NewLine);
    }
}

/// <summary>Test classes in this collection run after all others, one at a time.</summary>
[CollectionDefinition(LoadTests.Alone, DisableParallelization = true)]
public sealed class RunsAlone;
