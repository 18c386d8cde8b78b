using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>
/// <c>decision | throughput | coldstart | all</c>: each prints its figures; <c>all</c> also rewrites docs/benchmarks.md.
/// ./benchmark.sh publishes the apps first and runs <c>all</c>.
/// </summary>
public static class Harness
{
    public static readonly string[] Modes = ["decision", "throughput", "coldstart", "query", "all"];

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string mode)
    {
        var started = DateTimeOffset.UtcNow;
        List<DecisionResult>? decision = null;
        ThroughputResult? throughput = null;
        List<ColdStartResult>? coldStart = null;
        List<DecisionResult>? decideOnly = null;
        if (mode is "decision" or "all")
        {
            Console.WriteLine("Decision cost (BenchmarkDotNet)...");
            var all = Decision.Run();
            decision = [.. all.Where(d => d.Method == nameof(DecisionBenchmarks.ParseAndDecide))];
            decideOnly = [.. all.Where(d => d.Method == nameof(DecisionBenchmarks.Decide))];
        }
        if (mode is "throughput" or "all")
        {
            Console.WriteLine("Webhook throughput...");
            throughput = await Throughput.RunAsync(Handler(), connections: 32, phase: TimeSpan.FromSeconds(5), rounds: 2);
        }
        if (mode is "coldstart" or "all")
        {
            Console.WriteLine("Cold start...");
            coldStart = await ColdStart.RunAsync(runs: 7);
        }
        QueryResult? query = null;
        if (mode is "query" or "all")
        {
            Console.WriteLine("A one-day summary, 100 days of records against one...");
            query = await Query.RunAsync();
        }
        if (mode == "query")
        {
            // Alone, the query benchmark replaces its own section of the doc and leaves the other figures as they are.
            var section = QuerySection(query!, started);
            Console.WriteLine(section);
            var doc = Repo.Path("docs", "benchmarks.md");
            var current = await File.ReadAllTextAsync(doc);
            var at = current.IndexOf(QueryHeading, StringComparison.Ordinal);
            await File.WriteAllTextAsync(doc, (at < 0 ? current : current[..at]).TrimEnd() + "\n" + section);
            return 0;
        }
        var text = Report(started, decision, decideOnly, throughput, coldStart) + (query is null ? "" : QuerySection(query, started));
        Console.WriteLine(text);
        if (mode == "all") await File.WriteAllTextAsync(Repo.Path("docs", "benchmarks.md"), text);
        return 0;
    }

    /// <summary>The handler as ./package.sh publishes it.</summary>
    private static string Handler() => Path.Combine(ColdStart.PublishFolder("handler", "sc-r2r"), "CallFunctions");

    private static string Report(DateTimeOffset started, List<DecisionResult>? decision, List<DecisionResult>? decideOnly, ThroughputResult? throughput, List<ColdStartResult>? coldStart)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        Line("# Benchmarks");
        Line();
        Line("Written by `./benchmark.sh` (do not edit by hand). Every figure is a ratio of two things measured side by side in");
        Line("the same run, on the same machine, so noise from other work on it falls on both.");
        Line();
        Line(FormattableString.Invariant($"- Date: {started:yyyy-MM-dd HH:mm} UTC"));
        Line($"- Machine: {Cpu()}, {Environment.ProcessorCount} cores (shared with other work), {Os()}, {RuntimeInformation.FrameworkDescription}");
        Line("- Command: `./benchmark.sh`");
        Line("- Authentication off (`Auth__Enabled=false`) for the handler: the load generator cannot get Graph's token.");
        Line();
        Line("## Targets");
        Line();
        Line("| target | measured | ratio | result |");
        Line("|---|---|---:|---|");
        if (decision is not null)
        {
            foreach (var kind in new[] { "Exact", "Identity" })
            {
                var small = decision.FirstOrDefault(d => d.Kind == kind && d.Rules == 10);
                var large = decision.FirstOrDefault(d => d.Kind == kind && d.Rules == 10_000);
                if (small is null || large is null) continue;
                Line(FormattableString.Invariant($"| parse + decide, 10 {kind.ToLowerInvariant()} rules, under 20 µs | {Micro(small.Nanoseconds)} | {small.Nanoseconds / 20_000:F3} of 20 µs | {Pass(small.Nanoseconds < 20_000)} |"));
                var ratio = large.Nanoseconds / small.Nanoseconds;
                Line(FormattableString.Invariant($"| 10,000 {kind.ToLowerInvariant()} rules at most 3× 10 rules | {Micro(large.Nanoseconds)} vs {Micro(small.Nanoseconds)} | {ratio:F2}× | {Pass(ratio <= 3)} |"));
            }
        }
        if (throughput is not null)
        {
            var ratio = throughput.Real.PerSecond / throughput.Bare.PerSecond;
            Line(FormattableString.Invariant($"| notification endpoint at least 0.4 of the bare endpoint's requests/s | {throughput.Real.PerSecond:F0}/s vs {throughput.Bare.PerSecond:F0}/s | {ratio:F2} | {Pass(ratio >= 0.4)}{(ratio >= 0.4 ? "" : $" (by {0.4 - ratio:F2})")} |"));
            Line(FormattableString.Invariant($"| rule cache vs reading the rules for every notification | {throughput.Real.PerSecond:F0}/s vs {throughput.Naive.PerSecond:F0}/s | {throughput.Real.PerSecond / throughput.Naive.PerSecond:F1}× faster | (report) |"));
            Line(FormattableString.Invariant($"| peak working set under load, under 200 MB | {throughput.PeakReal / 1048576.0:F0} MB | {throughput.PeakReal / (200 * 1048576.0):F2} of 200 MB | {Pass(throughput.PeakReal < 200 * 1048576L)} |"));
            Line(FormattableString.Invariant($"| storage round trips of the decision | {Reads(throughput.RealCount):F2} reads, {Writes(throughput.RealCount):F2} writes per notification | | {Pass(Reads(throughput.RealCount) == 0)} (zero reads) |"));
        }
        if (coldStart is not null && coldStart.Count > 0)
        {
            var chosen = coldStart.FirstOrDefault(c => c.Knobs == ChosenColdStart) ?? coldStart[0];
            Line(FormattableString.Invariant($"| cold start within 1.5× of an empty app published the same way ({chosen.Knobs}) | {chosen.HandlerMs:F0} ms vs {chosen.EmptyMs:F0} ms | {chosen.Ratio:F2}× | {Pass(chosen.Ratio <= 1.5)}{(chosen.Ratio <= 1.5 ? "" : $" (by {chosen.Ratio - 1.5:F2}×)")} |"));
        }
        Line();
        if (decision is not null) DecisionSection(md, decision, decideOnly ?? []);
        if (throughput is not null) ThroughputSection(md, throughput);
        if (coldStart is not null) ColdStartSection(md, coldStart);
        return md.ToString();
    }

    private const string QueryHeading = "## 6. Queries that grow with the period";

    private static string QuerySection(QueryResult q, DateTimeOffset started)
    {
        var met = q.TimeRatio <= 1.5 && q.RequestRatio <= 1.5;
        return FormattableString.Invariant($$"""

            {{QueryHeading}}

            `./benchmark.sh query` ({{started:yyyy-MM-dd HH:mm}} UTC; alone, it rewrites this section only). A one-day summary
            (`OutcomeQueries.SummarizeAsync`, the code behind `outcomes summary` and `GET /api/outcomes/summary`) in an
            outcomes table holding {{Query.Days}} days of records ({{Query.Days * Query.PerDay:N0}} calls, {{Query.PerDay:N0}} a day)
            against one holding only that day's {{Query.PerDay:N0}}, in one Azurite, through the counting proxy. Each call has
            its record (PartitionKey = call id) and its index entry (the day's table, PartitionKey = the hour), as the webhook
            writes them; seeding took {{q.SeedSeconds:F0}} s (index entries in batch transactions of up to 100 per hour).
            Medians of {{q.Runs}} runs each, alternating, after one warm-up each.

            | outcomes table holds | terminations counted | storage requests | time |
            |---|---:|---:|---:|
            | one day | {{q.Day.Terminations:N0}} | {{q.Day.Requests}} | {{q.Day.Milliseconds:F0}} ms |
            | {{Query.Days}} days | {{q.History.Terminations:N0}} | {{q.History.Requests}} | {{q.History.Milliseconds:F0}} ms |
            | {{Query.Days}} days, read as before the index (a filter on `TerminatedAt` over every record, one run) | {{q.WholeTable?.Terminations:N0}} | {{q.WholeTable?.Requests}} | {{q.WholeTable?.Milliseconds:F0}} ms |

            **Target: a one-day summary over {{Query.Days}} days costs at most 1.5× the same over one day: {{q.RequestRatio:F2}}× the
            storage requests and {{q.TimeRatio:F2}}× the time: {{Pass(met)}}.** The summary reads the day's index table (one
            query, a page per 1,000 entries), so its cost follows the period; before the index it read every record of the
            table (the last row). Azurite scans a whole table for any query, one more reason for a table per day; real Table
            Storage serves a PartitionKey range from its key index either way.

            """);
    }

    /// <summary>How ./package.sh publishes: the variant the cold-start target is judged on.</summary>
    public const string ChosenColdStart = "self-contained, ReadyToRun";

    private static void DecisionSection(StringBuilder md, List<DecisionResult> results, List<DecisionResult> decideOnly)
    {
        md.Append("""

            ## 1. Decision cost in process

            `DecisionBenchmarks` (BenchmarkDotNet, in-process toolchain, short run: 3 warm-up and 3 measured iterations):
            `NotificationParser.Parse` of the bytes of a sample notification, `CallContext.From`, then `RuleEvaluator.Evaluate`
            (the rule index already built, as the cache keeps it). *Exact*: `samples/incoming-pstn.json` against a block list
            of exact numbers (a quarter with office hours) holding its caller, plus an `anonymous`, a prefix/`re:` and a
            night rule. *Identity*: `samples/incoming-p2p-teams-user.json` against rules on Teams user ids holding its caller.
            The caller's rule sits in the middle of the priority order.

            | rules | kind | parse + decide | allocated | vs 10 rules | of which deciding | allocated |
            |---:|---|---:|---:|---:|---:|---:|

            """);
        foreach (var r in results.OrderBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Rules))
        {
            var small = results.First(s => s.Kind == r.Kind && s.Rules == 10);
            var decide = decideOnly.FirstOrDefault(d => d.Kind == r.Kind && d.Rules == r.Rules);
            md.Append(Invariant, $"| {r.Rules:N0} | {r.Kind} | {Micro(r.Nanoseconds)} | {r.Allocated:N0} B | {r.Nanoseconds / small.Nanoseconds:F2}× | {(decide is null ? "" : Micro(decide.Nanoseconds))} | {(decide is null ? "" : $"{decide.Allocated:N0} B")} |\n");
        }
        md.Append("\nNearly all the time and allocation is parsing the JSON body into typed events. Deciding alone is flat from 10\n" +
                  "to 10,000 rules (a dictionary probe, docs/rule-scaling.md), so differences between rows of parse + decide are\n" +
                  "this shared machine's noise over a short run (3 iterations), not the rules.\n");
    }

    private static void ThroughputSection(StringBuilder md, ThroughputResult t)
    {
        md.Append(FormattableString.Invariant($"""

            ## 2. Webhook throughput, 3. the naive way, 5. memory

            One handler process as `./package.sh` publishes it (self-contained, ReadyToRun), a real Azurite (Node.js, on the
            same cores) and the loopback Graph stand-in. The same C# load generator for each endpoint: {t.Connections}
            connections, POSTs back to back, each a new call id in the body of `samples/incoming-pstn.json`, whose caller is
            on a `Reject` rule. Two rounds of 5 s per endpoint, alternating (bare, notification, naive), after 2 s of warm-up.

            | endpoint | requests/s (202) | other answers | vs bare | handler CPU | Azurite CPU |
            |---|---:|---:|---:|---:|---:|
            | `POST /api/bench/bare` (answers 202, nothing else; `Diagnostics__BareEndpoint=true`) | {t.Bare.PerSecond:F0} | {t.Bare.Other} | 1.00 | {t.Bare.HandlerCores:F2} cores | {t.Bare.StorageCores:F2} cores |
            | `POST /api/calls`: parse, decide, claim, reject to Graph, record | {t.Real.PerSecond:F0} | {t.Real.Other} | {t.Real.PerSecond / t.Bare.PerSecond:F3} | {t.Real.HandlerCores:F2} cores | {t.Real.StorageCores:F2} cores |
            | the same with `Rules__RefreshSeconds=0` (the rules table read for every notification) | {t.Naive.PerSecond:F0} | {t.Naive.Other} | {t.Naive.PerSecond / t.Bare.PerSecond:F3} | {t.Naive.HandlerCores:F2} cores | {t.Naive.StorageCores:F2} cores |
            | no handler: the harness sends the claim insert and the record upsert of a call straight to Azurite (pairs/s) | {t.Storage.PerSecond:F0} | | | | {t.Storage.StorageCores:F2} cores |

            **Why the notification endpoint is far below 0.4 of the bare one.** The bare endpoint costs the handler about
            {t.Bare.HandlerCores / t.Bare.PerSecond * 1e6:F0} µs of CPU per request; a notification costs about
            {t.Real.HandlerCores / t.Real.PerSecond * 1e6:F0} µs (parsing and deciding are about 10 µs of it, section 1: the rest is
            three outbound HTTP requests through the Azure SDK and the Graph SDK, the 202 body, a log line and a trace span).
            And every notification needs two writes that Azurite, one single-threaded Node.js process on the same two cores,
            takes at about {t.Storage.PerSecond:F0} pairs/s even with no handler in front of it: the notification endpoint
            reaches {t.Real.PerSecond / t.Storage.PerSecond:F2} of that ceiling. One pair of writes, one call at a time, takes
            {t.SequentialWritesMs:F1} ms. So the ratio measures Azurite and three loopback HTTP requests against an empty
            answer, not the decision; against real Table Storage (writes spread over one partition per call, about
            2,000 entities/s each) and real Graph, each instance is bounded by its CPU per notification.

            The rule cache makes the webhook **{t.Real.PerSecond / t.Naive.PerSecond:F1}×** faster than reading the rules for every notification.

            Peak working set (VmHWM) of the handler after the bare and notification runs: **{t.PeakReal / 1048576.0:F0} MB**
            (the naive handler: {t.PeakNaive / 1048576.0:F0} MB).

            **Storage round trips**, counted by a loopback proxy between the handler and Azurite (the connection string's
            TableEndpoint points at it; no product code involved), {t.RealCount.Notifications} incoming calls at 4 connections
            after the first:

            | table, method | cache on (per notification) | cache off (per notification) |
            |---|---:|---:|

            """));
        foreach (var key in t.RealCount.Requests.Keys.Union(t.NaiveCount.Requests.Keys).Order(StringComparer.Ordinal))
            md.Append(Invariant, $"| {Describe(key)} | {Per(t.RealCount, key):F2} | {Per(t.NaiveCount, key):F2} |\n");
        md.Append(FormattableString.Invariant($"""

            The decision itself makes **zero** round trips: the rules come from the in-memory cache ({Reads(t.RealCount):F2}
            reads per notification with the cache on, {Reads(t.NaiveCount):F2} with it off). Each incoming call costs two writes
            to the outcomes table: the claim insert (`POST`, before the reject: a second delivery, on any instance, gets `409`
            and is not rejected twice) and the record upsert (`PATCH`, merge, after the reject: what was decided and what
            Graph answered).

            """));
    }

    private static void ColdStartSection(StringBuilder md, List<ColdStartResult> results)
    {
        md.Append("""

            ## 4. Cold start

            From starting the process to the first `202` to a POST of an incoming call that a rule rejects (rules read from
            Azurite, claim, reject to the Graph stand-in, record). The empty app (`CallFunctions.Benchmarks/EmptyApp/`,
            the same slim builder, answering `202` to the same POST) is published and started the same way. Medians of 7
            runs each, taken round-robin over every row and both apps; runtime knobs set as environment variables on both.

            | publish | handler | empty app | ratio | handler runs (ms) |
            |---|---:|---:|---:|---|

            """);
        foreach (var r in results)
            md.Append(Invariant, $"| {r.Knobs} | {r.HandlerMs:F0} ms | {r.EmptyMs:F0} ms | {r.Ratio:F2}× | {string.Join(", ", r.HandlerRuns.Select(v => v.ToString("F0", Invariant)))} |\n");
        md.Append("""

            ReadyToRun is what `./package.sh` publishes: the handler's own code and its packages precompiled, against JIT
            alone. TieredPGO and TieredCompilation are runtime settings (`DOTNET_TieredPGO`, `DOTNET_TieredCompilation`);
            a difference of a few percent between rows is within this machine's noise, so they keep their defaults.
            Trimming is not offered: Microsoft.Graph (Kiota) and Azure.Data.Tables are not annotated as trim-safe
            (reflection over models and entities), so a trimmed handler could fail at run time on a path no test covers.

            **What bounds the cold start.** Where the empty app loads the ASP.NET Core assemblies and answers, the handler
            also loads Microsoft.Graph (97 MB once precompiled), Kiota, Azure.Core and Azure.Data.Tables, Azure.Identity,
            OpenTelemetry and Microsoft.IdentityModel, validates its settings and reads the rules table (while Kestrel starts),
            and its first notification makes the process's first Table Storage and Graph requests (plain HTTP on loopback
            here).
            Measured separately with `DOTNET_JitDisasmSummary=1`: about 1,090 methods still compiled by the JIT at start-up
            against 427 for the empty app, most of them generic instantiations (async state machines, collections) over the
            app's own types, which ReadyToRun cannot precompile across assembly boundaries.

            """);
    }

    private static string Describe(string key)
    {
        var (table, method) = (key[..key.LastIndexOf(' ')], key[(key.LastIndexOf(' ') + 1)..]);
        var kind = table.StartsWith("Rules", StringComparison.Ordinal) ? "rules" : table.StartsWith("Outcomes", StringComparison.Ordinal) ? "outcomes" : table;
        var what = method switch
        {
            "GET" => "read",
            "POST" => "insert",
            "PATCH" or "MERGE" => "upsert, merge",
            "PUT" => "upsert, replace",
            "DELETE" => "delete",
            _ => method,
        };
        return $"{kind} `{method}` ({what})";
    }

    private static double Per(StorageCount count, string key) =>
        count.Requests.TryGetValue(key, out var n) ? (double)n / count.Notifications : 0;

    private static double Reads(StorageCount count) =>
        count.Requests.Where(p => p.Key.EndsWith(" GET", StringComparison.Ordinal)).Sum(p => p.Value) / (double)count.Notifications;

    private static double Writes(StorageCount count) =>
        count.Requests.Where(p => !p.Key.EndsWith(" GET", StringComparison.Ordinal)).Sum(p => p.Value) / (double)count.Notifications;

    private static string Micro(double nanoseconds) => (nanoseconds / 1000).ToString("F2", Invariant) + " µs";

    private static string Pass(bool met) => met ? "met" : "**missed**";

    private static string Cpu()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static string Os()
    {
        var line = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            : null;
        return line is null ? RuntimeInformation.OSDescription : line["PRETTY_NAME=".Length..].Trim('"');
    }
}
