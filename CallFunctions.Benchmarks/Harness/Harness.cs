using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>
/// <c>decision | ringtoreject | cpu | memory | coldstart | query | repeat | all</c>: each prints its figures; <c>all</c> also
/// rewrites docs/benchmarks.md, and <c>query</c> and <c>repeat</c> alone their own section of it. ./benchmark.sh publishes the apps first (as ./package.sh does) and runs <c>all</c>. Everything but
/// <c>decision</c> runs the apps inside the real Functions host.
/// </summary>
public static partial class Harness
{
    public static readonly string[] Modes = ["decision", "ringtoreject", "cpu", "memory", "coldstart", "query", "repeat", "challenge", "profile", "wholepath", "all"];

    /// <summary>The sizes of a run: about 5 minutes on 2 shared cores, the BenchmarkDotNet part included.</summary>
    private const int OneAtATime = 300, Burst = 1000, CpuPerRound = 2000, CpuRounds = 3, CpuConnections = 8, ColdStartRuns = 5,
        RepeatPerRound = 1000, RepeatRounds = 3, ChallengePerRound = 300, ChallengeRounds = 3;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string mode)
    {
        var started = DateTimeOffset.UtcNow;
        var loadBefore = LoadAverage();
        List<DecisionResult>? decision = null;
        List<DecisionResult>? decideOnly = null;
        RingToRejectResult? ringToReject = null;
        HostCpuResult? cpu = null;
        ColdStartResult? coldStart = null;
        RepeatCostResult? repeat = null;
        ChallengeCostResult? challenge = null;
        if (mode is "decision" or "all")
        {
            Console.WriteLine("Decision cost (BenchmarkDotNet)...");
            var all = Decision.Run();
            decision = [.. all.Where(d => d.Method == nameof(DecisionBenchmarks.ParseAndDecide))];
            decideOnly = [.. all.Where(d => d.Method == nameof(DecisionBenchmarks.Decide))];
        }
        WholePathResult? wholePath = null;
        if (mode is "wholepath" or "all")
        {
            Console.WriteLine("The webhook's whole path in process (BenchmarkDotNet)...");
            wholePath = WholePath.Run();
        }
        if (mode is not ("decision" or "query" or "wholepath"))
        {
            await using var stage = await BenchStage.StartAsync();
            if (mode is "ringtoreject" or "cpu" or "memory" or "profile" or "all")
            {
                await using var app = await AppProcess.StartAsync("app", stage.HandlerSettings(refreshSeconds: 30));
                await app.Host.WaitUntilReadyAsync();
                if (mode is "ringtoreject" or "memory" or "all")
                {
                    Console.WriteLine("Ring to reject through the host...");
                    ringToReject = await RingToReject.RunAsync(stage, app, OneAtATime, Burst);
                }
                if (mode is "cpu" or "memory" or "profile" or "all")
                {
                    await using var empty = await AppProcess.StartAsync("empty", stage.EmptySettings());
                    await WaitForEmptyAsync(empty);
                    Console.WriteLine("CPU per notification, host and worker, against the empty app...");
                    cpu = await HostCpu.RunAsync(stage, app, empty, CpuPerRound, CpuRounds, CpuConnections,
                        profile: mode == "profile" ? Repo.Path("artifacts", "bench", "profile") : null);
                    Console.WriteLine(FormattableString.Invariant($"  app {cpu.AppMicros:F0} µs, empty {cpu.EmptyMicros:F0} µs, ratio {cpu.Ratio:F2} at {cpu.Pace:F0}/s (flat out {cpu.FlatOutRatio:F2}); worker peak {cpu.WorkerPeak / 1048576.0:F0} MB ({cpu.WorkerPeakBefore / 1048576.0:F0} MB before the measured rounds)"));
                }
            }
            if (mode is "repeat" or "all")
            {
                Console.WriteLine("A ring's cost with a Repeat rule in scope against without one...");
                repeat = await RepeatCost.RunAsync(stage, RepeatPerRound, RepeatRounds, CpuConnections);
                Console.WriteLine(FormattableString.Invariant(
                    $"  storage requests per ring {repeat.RequestsPerRing(RepeatCostResult.WithRepeat):F2} vs {repeat.RequestsPerRing(RepeatCostResult.Plain):F2}; CPU per notification {repeat.Micros(RepeatCostResult.WithRepeat):F0} µs vs {repeat.Micros(RepeatCostResult.Plain):F0} µs"));
            }
            if (mode is "challenge" or "all")
            {
                Console.WriteLine("Ring to answer beside ring to reject, and a challenged call's cost against a rejected call's...");
                challenge = await ChallengeCost.RunAsync(stage, OneAtATime, ChallengePerRound, ChallengeRounds);
            }
            if (mode is "coldstart" or "all")
            {
                Console.WriteLine("Cold start through the host...");
                coldStart = await ColdStart.RunAsync(stage, ColdStartRuns);
                Console.WriteLine(FormattableString.Invariant($"  app {coldStart.AppMs:F0} ms, empty {coldStart.EmptyMs:F0} ms, ratio {coldStart.Ratio:F2}"));
            }
        }
        QueryResult? query = null;
        if (mode is "query" or "all")
        {
            Console.WriteLine("A one-day summary, 100 days of records against one...");
            query = await Query.RunAsync();
        }
        var doc = Repo.Path("docs", "benchmarks.md");
        if (mode is "query" or "repeat" or "challenge" or "profile" or "wholepath")
        {
            // Alone, these replace their own section of the doc and leave the other figures as they are.
            var (heading, section) = mode switch
            {
                "query" => (QueryHeading, QuerySection(query!, started)),
                "repeat" => (RepeatHeading, RepeatSection(repeat!, started, loadBefore, LoadAverage())),
                "challenge" => (ChallengeHeading, ChallengeSection(challenge!, started, loadBefore, LoadAverage())),
                "profile" => (ProfileHeading, ProfileSection(cpu!, started, loadBefore, LoadAverage())),
                _ => (WholePathHeading, WholePathSection(wholePath!, started, loadBefore)),
            };
            Console.WriteLine(section);
            await File.WriteAllTextAsync(doc, WithSection(await File.ReadAllTextAsync(doc), heading, section));
            return 0;
        }
        var text = Report(started, DateTimeOffset.UtcNow - started, loadBefore, LoadAverage(), decision, decideOnly, ringToReject, cpu, coldStart, repeat)
                   + (query is null ? "" : QuerySection(query, started))
                   + (repeat is null ? "" : RepeatSection(repeat, started, null, null))
                   + (challenge is null ? "" : ChallengeSection(challenge, started, null, null));
        Console.WriteLine(text);
        // The profile is its own run (sampling costs CPU, which the figures must not carry): its section stays.
        if (mode == "all")
            await File.WriteAllTextAsync(doc, text.TrimEnd() + "\n" + SectionOf(await File.ReadAllTextAsync(doc), ProfileHeading)
                + WholePathSection(wholePath!, started, loadBefore));
        return 0;
    }

    /// <summary><paramref name="doc"/> with the section under <paramref name="heading"/> replaced (or added at the end).</summary>
    private static string WithSection(string doc, string heading, string section)
    {
        var at = doc.IndexOf(heading, StringComparison.Ordinal);
        if (at < 0) return doc.TrimEnd() + "\n" + section;
        var next = doc.IndexOf("\n## ", at + heading.Length, StringComparison.Ordinal);
        return doc[..at].TrimEnd() + "\n" + section.TrimEnd() + "\n" + (next < 0 ? "" : doc[next..]);
    }

    private static string SectionOf(string doc, string heading)
    {
        var at = doc.IndexOf(heading, StringComparison.Ordinal);
        if (at < 0) return "";
        var next = doc.IndexOf("\n## ", at + heading.Length, StringComparison.Ordinal);
        return "\n" + (next < 0 ? doc[at..] : doc[at..next]).TrimEnd() + "\n";
    }

    /// <summary>The empty app has no health route: POST until its function answers 202.</summary>
    private static async Task WaitForEmptyAsync(AppProcess empty)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                using var content = new StringContent("{}", Encoding.UTF8, "application/json");
                using var answer = await client.PostAsync(empty.Url("/api/calls"), content);
                if (answer.StatusCode == System.Net.HttpStatusCode.Accepted) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until)
            {
            }
            if (DateTime.UtcNow > until) throw new TimeoutException("The empty app did not answer 202:\n" + empty.Host.Logs.Text);
            await Task.Delay(100);
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Report(DateTimeOffset started, TimeSpan took, string loadBefore, string loadAfter,
        List<DecisionResult>? decision, List<DecisionResult>? decideOnly, RingToRejectResult? ring, HostCpuResult? cpu, ColdStartResult? coldStart, RepeatCostResult? repeat)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        Line("# Benchmarks");
        Line();
        Line("Written by `./benchmark.sh` (do not edit by hand). Except for the decision cost in process (section 1), every figure");
        Line("is measured through the real Azure Functions host (`../shared/functions-host`, or `func` when on PATH) running the");
        Line("app as `./package.sh` publishes it, and every comparison is of two things measured side by side in the same run,");
        Line("in alternating rounds, so noise from other work on the machine falls on both.");
        Line();
        Line(FormattableString.Invariant($"- Date: {started:yyyy-MM-dd HH:mm} UTC, {took.TotalMinutes:F1} minutes"));
        Line($"- Machine: {Cpu()}, {Environment.ProcessorCount} cores, {Os()}, {RuntimeInformation.FrameworkDescription}");
        Line($"- **Load caveat**: the machine is shared with other work (test suites of other engineers). Load average (1, 5, 15 min) {loadBefore} at the start, {loadAfter} at the end, on {Environment.ProcessorCount} cores: absolute times here are inflated and vary between runs; the ratios less so, since both sides of each share the same conditions.");
        Line("- Command: `./benchmark.sh`");
        Line("- Authentication **on**: every notification carries a token from the OpenID stand-in (RS256, the app checks its signature, issuer, audience and lifetime against the stand-in's keys), one token reused as Graph reuses its token. The empty app checks nothing.");
        Line("- Publish: `dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true`, as `./package.sh`, for both apps.");
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
        if (ring is not null)
        {
            Line(FormattableString.Invariant($"| ring to reject, one call at a time: p99 at most 25 ms | p50 {ring.OneAtATime.P50:F1} ms, p99 {ring.OneAtATime.P99:F1} ms | {ring.OneAtATime.P99 / 25:F2} of 25 ms | {Pass(ring.OneAtATime.P99 <= 25)} |"));
            Line(FormattableString.Invariant($"| ring to redirect, one call at a time, beside ring to reject: p99 | p50 {ring.OneAtATimeRedirect.P50:F1} ms, p99 {ring.OneAtATimeRedirect.P99:F1} ms (reject p99 {ring.OneAtATime.P99:F1} ms) | {ring.OneAtATimeRedirect.P99 / ring.OneAtATime.P99:F2}× the reject's | reported |"));
            Line(FormattableString.Invariant($"| ring to reject, a burst of {ring.Burst.Ms.Length} new calls at once: every reject within 5 s | {ring.Burst.Arrived} rejected; p50 {ring.Burst.P50:F0} ms, p99 {ring.Burst.P99:F0} ms, last {ring.Burst.Max:F0} ms | {ring.Burst.Max / 5000:F2} of 5 s | {Pass(ring.Burst.Arrived == ring.Burst.Ms.Length && ring.Burst.Max <= 5000)} |"));
        }
        if (cpu is not null)
        {
            Line(FormattableString.Invariant($"| CPU per notification, host + worker, in the steady state, at most 1.5× the empty app's (both at {cpu.Pace:F0} notifications/s) | {cpu.AppMicros:F0} µs vs {cpu.EmptyMicros:F0} µs | {cpu.Ratio:F2}× | {Pass(cpu.Ratio <= 1.5)}{(cpu.Ratio <= 1.5 ? "" : $" (by {cpu.Ratio - 1.5:F2}×)")} |"));
            Line(FormattableString.Invariant($"| the same flat out, each app at its own pace (last warm-up round: {cpu.FlatOut("app").PerSecond:F0} vs {cpu.FlatOut("empty").PerSecond:F0} notifications/s) | {cpu.FlatOut("app").MicrosPerNotification:F0} µs vs {cpu.FlatOut("empty").MicrosPerNotification:F0} µs | {cpu.FlatOutRatio:F2}× | reported |"));
            Line(FormattableString.Invariant($"| the worker's CPU per notification (the host's apart) | {cpu.WorkerMicros("app"):F0} µs vs {cpu.WorkerMicros("empty"):F0} µs; host {cpu.HostMicros("app"):F0} µs vs {cpu.HostMicros("empty"):F0} µs | {cpu.WorkerMicros("app") / cpu.WorkerMicros("empty"):F2}× | reported |"));
            Line(FormattableString.Invariant($"| peak working set of the worker under load (the measured rounds of section 3), at most 160 MB | {cpu.WorkerPeak / 1048576.0:F0} MB (empty app {cpu.EmptyWorkerPeak / 1048576.0:F0} MB) | {cpu.WorkerPeak / (160 * 1048576.0):F2} of 160 MB | {Pass(cpu.WorkerPeak <= 160 * 1048576L)} |"));
            Line(FormattableString.Invariant($"| the worker's peak over every earlier load of the run{(ring is null ? "" : $" (with the bursts of {ring.Burst.Ms.Length} calls in flight at once)")} | {cpu.WorkerPeakBefore / 1048576.0:F0} MB (empty app {cpu.EmptyWorkerPeakBefore / 1048576.0:F0} MB) | {cpu.WorkerPeakBefore / (160 * 1048576.0):F2} of 160 MB | reported |"));
        }
        if (coldStart is not null)
            Line(FormattableString.Invariant($"| cold start, host start to the first reject, at most 1.2× the empty app's host start to its first 202 | {coldStart.AppMs:F0} ms vs {coldStart.EmptyMs:F0} ms | {coldStart.Ratio:F2}× | {Pass(coldStart.Ratio <= 1.2)}{(coldStart.Ratio <= 1.2 ? "" : $" (by {coldStart.Ratio - 1.2:F2}×)")} |"));
        if (repeat is not null)
        {
            const string with = RepeatCostResult.WithRepeat, plain = RepeatCostResult.Plain;
            Line(FormattableString.Invariant($"| a ring's cost with a `Repeat` rule in scope against without one: storage requests per ring, CPU per notification (host + worker) | {repeat.RequestsPerRing(with):F2} vs {repeat.RequestsPerRing(plain):F2} requests; {repeat.Micros(with):F0} µs vs {repeat.Micros(plain):F0} µs | +{repeat.RequestsPerRing(with) - repeat.RequestsPerRing(plain):F2} requests; {repeat.Micros(with) / repeat.Micros(plain):F2}× CPU | reported |"));
        }
        Line();
        if (decision is not null) DecisionSection(md, decision, decideOnly ?? []);
        if (ring is not null) RingToRejectSection(md, ring);
        if (cpu is not null) CpuSection(md, cpu);
        if (cpu is not null) MemorySection(md, cpu);
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

    private const string RepeatHeading = "## 7. A ring's cost with a Repeat rule";

    /// <param name="loadBefore">When run alone (<c>./benchmark.sh repeat</c>): the load around it; null within the whole run.</param>
    private static string RepeatSection(RepeatCostResult r, DateTimeOffset started, string? loadBefore, string? loadAfter)
    {
        const string with = RepeatCostResult.WithRepeat, plain = RepeatCostResult.Plain;
        var perRound = r.Rounds[0].Rings;
        var kinds = r.RequestsByKind(plain).Keys.Union(r.RequestsByKind(with).Keys).Order(StringComparer.Ordinal);
        var md = new StringBuilder();
        md.Append(Invariant, $"""

            {RepeatHeading}

            {(loadBefore is null ? "Part of the whole run (the load caveat at the top applies)" : $"`./benchmark.sh repeat` ({started:yyyy-MM-dd HH:mm} UTC, load average {loadBefore} at the start, {loadAfter} at the end; alone, it rewrites this section only)")}.
            One app, published as `./package.sh` does, inside the host, its `TableEndpoint` behind the counting proxy of
            section 6, so every storage request is counted by table and method. The same incoming call
            (`samples/incoming-pstn.json`, a new call id each, the same caller) from two tenants: the sample's, whose calls
            see the default rules only (no `Repeat` rule in scope: rejected `busy` by `block-test-number`), and another whose
            own partition holds `robot` (priority 5, `Reject` `Busy`, `Repeat` `4/10m`) beside the default rules. Its caller
            rings on and on, so `robot` holds and rejects each ring, and the count reads its largest page. Each side is warmed
            with rounds of {perRound:N0} rings until its CPU per notification falls by less than 5 % from one round to the
            next; then {r.Measured(plain).Count} measured rounds of each, over {r.Connections} connections, alternating which
            goes first. A round ends when every reject has reached the Graph stand-in and `/api/health` says nothing is in
            flight (the records written), so all of a ring's requests and CPU fall in its round. The rules are read once, at
            start (`Rules__RefreshSeconds=3600`).

            | | storage requests per ring | CPU per notification (host + worker) | worker | host |
            |---|---:|---:|---:|---:|
            | {plain} | **{r.RequestsPerRing(plain):F2}** | **{r.Micros(plain):F0} µs** | {r.WorkerMicros(plain):F0} µs | {r.HostMicros(plain):F0} µs |
            | {with} | **{r.RequestsPerRing(with):F2}** | **{r.Micros(with):F0} µs** | {r.WorkerMicros(with):F0} µs | {r.HostMicros(with):F0} µs |
            | difference | +{r.RequestsPerRing(with) - r.RequestsPerRing(plain):F2} | +{r.Micros(with) - r.Micros(plain):F0} µs ({r.Micros(with) / r.Micros(plain):F2}×) | +{r.WorkerMicros(with) - r.WorkerMicros(plain):F0} µs | +{r.HostMicros(with) - r.HostMicros(plain):F0} µs |

            Storage requests per ring, by table and method (tables named as in production; measured rounds):

            | request | {plain} | {with} |
            |---|---:|---:|

            """);
        foreach (var kind in kinds)
            md.Append(Invariant, $"| `{kind}` | {r.RequestsByKind(plain).GetValueOrDefault(kind):F2} | {r.RequestsByKind(with).GetValueOrDefault(kind):F2} |\n");
        md.Append("""

            | round | side | rings | CPU (host + worker) | per notification | worker | host | requests per ring | rings/s |
            |---|---|---:|---:|---:|---:|---:|---:|---:|

            """);
        foreach (var round in r.Rounds)
        {
            var same = r.Rounds.Where(o => o.Side == round.Side && o.Warm == round.Warm).ToList();
            var label = (round.Warm ? "warm-up " : "") + (same.IndexOf(round) + 1).ToString(Invariant);
            md.Append(Invariant, $"| {label} | {round.Side} | {round.Rings} | {round.CpuSeconds:F2} s | {round.MicrosPerNotification:F0} µs | {round.WorkerMicros:F0} µs | {round.HostMicros:F0} µs | {round.RequestsPerRing:F2} | {round.Rings / round.WallSeconds:F0} |\n");
        }
        md.Append(Invariant, $"""

            **What bounds each figure.** *Storage requests* are fixed by the code, not by this machine: without a `Repeat`
            rule in scope a ring costs what any ring costs (the claim insert, the record's upsert and its index entry); with
            one, exactly one more write (the ring's upsert, `PUT CallOutcomesRings`) and one more read (one query of the
            caller's partition, `GET CallOutcomesRings`: PartitionKey the caller, RowKey bounded by the window, one page of at
            most twice the rule's count plus two rows). Neither grows with the table's history nor with the number of callers;
            a tenant without a `Repeat` rule pays nothing. *CPU per notification* is those two requests through the Azure SDK
            (a request built and signed, a loopback round trip, an entity or a page of up to {2 * 4 + 2} rows parsed) on top of
            the same decision, Graph request and records; it is bounded by the SDK's cost per request, which is most of what
            the app adds over the empty app in section 3. Absolute CPU is inflated on a machine this loaded, for both sides
            alike; clock ticks are 10 ms, about {0.01 / perRound * 1e6:F0} µs per notification per round. Azurite's own CPU is
            not counted. The two requests are also two more loopback round trips before the decision, so a ring with a
            `Repeat` rule in scope is rejected that much later (not measured here; section 2 has the ring's path).

            """);
        return md.ToString();
    }

    private const string ChallengeHeading = "## 8. A challenged call";

    /// <param name="loadBefore">When run alone (<c>./benchmark.sh challenge</c>): the load around it; null within the whole run.</param>
    private static string ChallengeSection(ChallengeCostResult r, DateTimeOffset started, string? loadBefore, string? loadAfter)
    {
        const string rejected = ChallengeCostResult.Rejected, challenged = ChallengeCostResult.Challenged;
        var perRound = r.Rounds[0].Rings;
        var kinds = r.RequestsByKind(rejected).Keys.Union(r.RequestsByKind(challenged).Keys).Order(StringComparer.Ordinal);
        var md = new StringBuilder();
        md.Append(Invariant, $"""

            {ChallengeHeading}

            {(loadBefore is null ? "Part of the whole run (the load caveat at the top applies)" : $"`./benchmark.sh challenge` ({started:yyyy-MM-dd HH:mm} UTC, load average {loadBefore} at the start, {loadAfter} at the end; alone, it rewrites this section only)")}.
            One app, published as `./package.sh` does, inside the host, its `TableEndpoint` behind the counting proxy, the
            rules read once. The sample's ring from its tenant is rejected by `block-test-number`; from another tenant, whose
            own partition holds `screen` (`Challenge`, `Key` `1`, `Timeout` {BenchStage.ChallengeTimeoutSeconds}, target a
            number), it is answered.

            **Ring to answer, one call at a time, beside ring to reject** ({r.RingToAnswer.Ms.Length} of each, alternating, after
            20 of each to warm): from sending the POST to the Graph stand-in receiving that call's `answer` (or `reject`).

            | | p50 | p99 | max |
            |---|---:|---:|---:|
            | ring to reject | {r.RingToReject.P50:F1} ms | **{r.RingToReject.P99:F1} ms** | {r.RingToReject.Max:F1} ms |
            | ring to answer | {r.RingToAnswer.P50:F1} ms | **{r.RingToAnswer.P99:F1} ms** | {r.RingToAnswer.Max:F1} ms |

            **A whole call**: a rejected call is its ring and its end; a challenged call is its ring, `established`, the rule's
            key and its end (`0/7015`), each sent once the stand-in got the request it follows (`answer`, `playPrompt`,
            `transfer`), as Graph would. Rounds of {perRound} calls over 8 connections, one warm-up round of each side, then
            {r.Rounds.Count(o => !o.Warm) / 2} measured rounds of each, alternating which goes first. Each round waits out the
            deadline ({BenchStage.ChallengeTimeoutSeconds} s and the queue's 2 s poll), so the deadlines of its challenged calls
            fire within it (and find them decided); then `/api/health` says nothing is in flight.

            | | Table Storage requests per call | CPU per call (host + worker) | worker |
            |---|---:|---:|---:|
            | {rejected} | **{r.RequestsPerCall(rejected):F2}** | **{r.Micros(rejected):F0} µs** | {r.WorkerMicros(rejected):F0} µs |
            | {challenged} | **{r.RequestsPerCall(challenged):F2}** | **{r.Micros(challenged):F0} µs** | {r.WorkerMicros(challenged):F0} µs |
            | ratio | {r.RequestsPerCall(challenged) / r.RequestsPerCall(rejected):F2}× | {r.Micros(challenged) / r.Micros(rejected):F2}× | {r.WorkerMicros(challenged) / r.WorkerMicros(rejected):F2}× |

            Table Storage requests per call, by table and method (tables named as in production; measured rounds):

            | request | {rejected} | {challenged} |
            |---|---:|---:|

            """);
        foreach (var kind in kinds)
            md.Append(Invariant, $"| `{kind}` | {r.RequestsByKind(rejected).GetValueOrDefault(kind):F2} | {r.RequestsByKind(challenged).GetValueOrDefault(kind):F2} |\n");
        md.Append(Invariant, $"""

            **What bounds each figure.** *Ring to answer* is ring to reject's path (token, parse, decision, one claim insert,
            one Graph request) with a bigger body; both are bounded by this machine's two shared cores and the loopback
            round trips, far below Graph's 15 s. *Storage requests* are fixed by the code: a challenged call's ring costs a
            rejected call's three; `established`, the key and the end each read the challenge's rows (one query of the
            call's partition) and merge the record and its index entry, and the first two insert their step's claim; the
            deadline reads the rows once more. The queue's own requests (the deadline's send, receive and delete: 3 per
            challenged call, and each instance's polls) go to the queue endpoint, which the proxy does not count. *CPU per
            call* is four notifications through the host instead of two, and about four times the storage and Graph requests;
            absolute CPU is inflated on a loaded machine for both sides alike; clock ticks are 10 ms, about
            {0.01 / perRound * 1e6:F0} µs per call per round.

            """);
        return md.ToString();
    }

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
