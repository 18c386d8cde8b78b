using System.Globalization;
using System.Text;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>The sections of docs/benchmarks.md measured through the Functions host.</summary>
public static partial class Harness
{
    private static void RingToRejectSection(StringBuilder md, RingToRejectResult r) => md.Append(FormattableString.Invariant($"""

        ## 2. Ring to reject, through the host

        One host running the app (its worker a child process), a real Azurite (Node.js, on the same cores), the loopback
        Graph stand-in and the OpenID stand-in. Each notification is `samples/incoming-pstn.json` with a new call id,
        whose caller is on a `Reject` rule, with Graph's token. The clock runs from sending `POST /api/calls` to the Graph
        stand-in having read the body of that call's `POST …/reject`: the host's HTTP pipeline and its gRPC hop to the
        worker, the token check, parsing, deciding, the claim insert in Azurite, then the reject. (The host's `202` comes
        before the reject: the app answers within `Calls__ResponseSeconds` while its work goes on.) Warmed first with 20
        calls and one burst, as an always-ready instance is.

        | | calls | p50 | p99 | last | `202` from the host (p50 / last) |
        |---|---:|---:|---:|---:|---:|
        | one at a time (the next sent when the previous reject arrived) | {r.OneAtATime.Ms.Length} | {r.OneAtATime.P50:F1} ms | {r.OneAtATime.P99:F1} ms | {r.OneAtATime.Max:F1} ms | |
        | ring to redirect, one at a time, each right after a ring to reject (a `Redirect` rule's caller, one phone target) | {r.OneAtATimeRedirect.Ms.Length} | {r.OneAtATimeRedirect.P50:F1} ms | {r.OneAtATimeRedirect.P99:F1} ms | {r.OneAtATimeRedirect.Max:F1} ms | |
        | a burst: all sent at once, timed from the burst's start | {r.Burst.Ms.Length} | {r.Burst.P50:F0} ms | {r.Burst.P99:F0} ms | {r.Burst.Max:F0} ms | {r.BurstAnswers.P50:F0} ms / {r.BurstAnswers.Max:F0} ms |

        Answers other than `202`: {r.Other}. Rejects that reached the stand-in: {r.OneAtATime.Arrived} of {r.OneAtATime.Ms.Length} one at a time,
        {r.Burst.Arrived} of {r.Burst.Ms.Length} in the burst (a call whose reject never came counts as infinitely late).

        **What bounds it.** One at a time, the path is four loopback HTTP exchanges in series (harness to host, host to
        worker over gRPC, worker to Azurite for the claim, worker to the Graph stand-in) and the CPU work of section 3 on
        the way; the rest is waiting for a core. With a run queue many times longer than the two cores (the load caveat
        above), the tail (p99) is mostly that waiting: it is a figure of this machine's load as much as of the app.
        In the burst, the {r.Burst.Ms.Length} notifications share two cores between the host, the worker, Azurite and the
        harness, and with the other work on the machine: the last reject arrives when all of their CPU work (section 3,
        the app's CPU per notification times the burst) and Azurite's {r.Burst.Ms.Length} inserts,
        one at a time in one Node.js thread, are done, so the burst scales with CPU per notification, not with the decision.

        """));

    /// <summary>"warm-up 2" or "3": a round's place among its app's warm-up or measured rounds.</summary>
    private static string Label(HostCpuResult c, CpuRound round)
    {
        var same = c.Rounds.Where(r => r.App == round.App && r.Warm == round.Warm).ToList();
        var n = same.IndexOf(round) + 1;
        return round.Warm ? $"warm-up {n}" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void CpuSection(StringBuilder md, HostCpuResult c) => md.Append(FormattableString.Invariant($"""

        ## 3. CPU per notification, host and worker

        The app's host and the empty app's host (`CallFunctions.Benchmarks/EmptyApp/`: an isolated-worker app with the same
        Worker packages and the ASP.NET Core integration, one function on `POST /api/calls` answering `202`), both running
        in the same host build, both as in Azure (the Production environment; the worker's logs reach the host once, over
        gRPC, with no JSON copy on its standard output as the tests have), on an Azurite that keeps its data in memory (no
        file of the whole database rewritten every few seconds, which slows with every row as no storage account does).
        Each app is first warmed, flat out, with at least three rounds of {c.Rounds[0].Notifications} notifications, then until its
        cost per notification falls by less than 5 % from one round to the next (JIT tiers, pools and caches settled);
        then {c.Measured("app").Count} measured rounds of each, over {c.Connections} connections, alternating which goes
        first, **both at {c.Pace:F0} notifications/s** (half the app's pace flat out in its last warm-up round): Graph sends
        an app the calls it gets, whichever app answers, and flat out the two loads differ tenfold (the last column), while
        a host's CPU per request falls as requests come closer together (threads woken per request, writes batched), so
        a flat-out comparison sets a busy empty app beside an app that waits on Azurite. The figures below come from the
        measured rounds only. CPU is utime + stime from `/proc/<pid>/stat` of the
        host process and of its worker child, read before and after each round; an app round ends when every reject has
        reached the Graph stand-in and `/api/health` says nothing is in flight (the record written), so the work after the
        `202` is counted.

        | round | app | notifications | CPU (host + worker) | per notification | worker | host | notifications/s |
        |---|---|---:|---:|---:|---:|---:|---:|

        """)).Append(string.Concat(c.Rounds.Select(r => FormattableString.Invariant(
            $"| {Label(c, r)} | {(r.App == "app" ? "CallFunctions" : "empty app")} | {r.Notifications} | {r.CpuSeconds:F2} s | {r.MicrosPerNotification:F0} µs | {r.WorkerMicros:F0} µs | {r.HostMicros:F0} µs | {r.PerSecond:F0} |\n"))))
        .Append(FormattableString.Invariant($"""

        Measured rounds, both at {c.Pace:F0} notifications/s: **{c.AppMicros:F0} µs** per notification for the app (worker {c.WorkerMicros("app"):F0} µs, host
        {c.HostMicros("app"):F0} µs) against **{c.EmptyMicros:F0} µs** for the empty app (worker {c.WorkerMicros("empty"):F0} µs,
        host {c.HostMicros("empty"):F0} µs): **{c.Ratio:F2}×**. Flat out (each app's last warm-up round), the same
        comparison gives {c.FlatOut("app").MicrosPerNotification:F0} µs against {c.FlatOut("empty").MicrosPerNotification:F0} µs, {c.FlatOutRatio:F2}×.
        Azurite spent a further {c.StorageMicros:F0} µs per notification of the app (not counted above).

        **What bounds it.** The empty app's {c.EmptyMicros:F0} µs is the floor any isolated-worker function pays here: the
        host's Kestrel and middleware, its gRPC message to the worker and the worker's ASP.NET Core request proxied back
        to the host, and their logging. The app adds {c.AppMicros - c.EmptyMicros:F0} µs. In the worker: the token check
        (once per token, then cached), parsing and deciding (section 1), four outbound HTTP requests through the Azure SDK
        and the Graph SDK (claim insert, reject, record and index upserts) with their handlers, the `202` body and its log
        line. In the host, at one pace, {c.HostMicros("app"):F0} µs against the empty app's host's {c.HostMicros("empty"):F0} µs for the same
        requests: the host's cost per request is mostly the pace's. The same empty app costs {c.FlatOut("empty").MicrosPerNotification:F0} µs
        per notification flat out and {c.EmptyMicros:F0} µs at {c.Pace:F0}/s: a host whose requests come far apart wakes its
        threads for each one, and one whose requests come close together batches them. That is why the flat-out ratio
        ({c.FlatOutRatio:F2}×) mostly compares two paces, not two apps. Flat out, the app's pace is Azurite's: one Node.js thread whose CPU per notification, above, is more than the
        app's and grows with the rows it holds (its index finds a row by PartitionKey, then reads every row of that
        partition for the RowKey, and an hour's index entries share one partition), so the app's notifications/s falls
        from round to round. Absolute CPU per notification is inflated on a machine this loaded (caches and cores shared with dozens of
        runnable processes), for both apps; the ratio is the figure. Clock ticks are 10 ms, about {0.01 / c.Rounds[0].Notifications * 1e6:F0} µs per notification per round.

        """));

    private static void MemorySection(StringBuilder md, HostCpuResult c) => md.Append(FormattableString.Invariant($"""

        ## 4. Memory

        Peak working set (VmHWM from `/proc/<pid>/status`). The workers' peaks are started again from their resident
        set (`echo 5 > /proc/<pid>/clear_refs`) before the measured rounds of section 3, so the first row is the peak
        under that steady load; the second is the peak over everything before it (the ring-to-reject calls and their
        bursts, when this run had them, and the flat-out warm-up rounds).

        | process | CallFunctions | empty app |
        |---|---:|---:|
        | worker, the measured rounds of section 3 | **{c.WorkerPeak / 1048576.0:F0} MB** | {c.EmptyWorkerPeak / 1048576.0:F0} MB |
        | worker, every load before them | {c.WorkerPeakBefore / 1048576.0:F0} MB | {c.EmptyWorkerPeakBefore / 1048576.0:F0} MB |
        | host, the whole run | {c.HostPeak / 1048576.0:F0} MB | {c.EmptyHostPeak / 1048576.0:F0} MB |

        The target is on the worker, the process the app's code controls; the host's memory is the Functions runtime's, the
        same build for both apps. {ResidentText(c)}
        What bounds the worker's figure: the assemblies a call needs (the Azure SDK, Kiota and the Graph SDK's core,
        OpenTelemetry, IdentityModel; of Microsoft.Graph the publish keeps only what the app's code reaches, 128 KB: whole,
        97 MB, loading it and sending a reject mapped 14 MB of it), the code compiled for them at
        run time, and the GC heap: what is alive (the connections, pools and caches, the calls remembered) plus the
        youngest generation's budget, capped at 4 MB (`System.GC.Gen0MaxBudget`). The bursts of section 2 (1,000
        notifications in flight at once, which the empty app does not get) take about 80 MB more while they last. Their
        connections end with them: an answer given while more than 32 notification batches are in flight closes its
        connection (`Connection: close`, read by the host before it would reuse it), so the host keeps at most about 32
        idle ones; before, it kept all 1,000 for a minute or more, with their memory in the worker. 10 s after a burst
        the worker gives its memory back with one compacting collection, so the measured rounds start near the steady
        state.
        The empty app's worker, the floor of any isolated worker here, peaks at {c.EmptyWorkerPeak / 1048576.0:F0} MB.

        """));

    private static string ResidentText(HostCpuResult c) => c.Residents is not ({ } app, { } empty) ? "" :
        FormattableString.Invariant($"At the end of the measured rounds the app's worker held {app.Anonymous / 1048576.0:F0} MB of anonymous memory, {app.Files / 1048576.0:F0} MB of mapped files (the most, {app.LargestFile}: {app.LargestFileBytes / 1048576.0:F0} MB) and {app.Shared / 1048576.0:F0} MB of shared memory (code compiled at run time); the empty app's {empty.Anonymous / 1048576.0:F0}, {empty.Files / 1048576.0:F0} and {empty.Shared / 1048576.0:F0} MB.");

    private static void ColdStartSection(StringBuilder md, ColdStartResult c) => md.Append(FormattableString.Invariant($"""

        ## 5. Cold start, through the host

        From starting the host's process to: for the app, the Graph stand-in receiving the reject of the first incoming
        call; for the empty app, its first `202`. The harness POSTs an incoming call (a new call id each try, every 10 ms
        while the host refuses or does not answer) from the moment the host listens. Both apps published as
        `./package.sh` does (framework-dependent, ReadyToRun, linux-x64); {c.AppRuns.Length} runs each, alternating which
        goes first; medians.

        | | median | runs (ms) |
        |---|---:|---|
        | CallFunctions: host start to the first reject | {c.AppMs:F0} ms | {Runs(c.AppRuns)} |
        | empty app: host start to the first `202` | {c.EmptyMs:F0} ms | {Runs(c.EmptyRuns)} |
        | ratio | **{c.Ratio:F2}×** | |

        **What bounds it.** Most of both is the host's own start (the runtime, the host's assemblies, its storage
        lock and secrets), then starting the worker process and the gRPC handshake, and indexing the functions: the same
        for both apps. The app adds {c.AppMs - c.EmptyMs:F0} ms: loading Microsoft.Graph, Kiota, the Azure SDK,
        IdentityModel and OpenTelemetry, validating its settings and reading the rules table, and, for the first call,
        fetching the OpenID configuration and its keys, the first Table Storage insert and the first Graph request, each
        a new connection and code run for the first time. Single runs vary by seconds with the machine's load (the runs
        column), so the medians of alternating runs are compared.

        """));

    private static string Runs(double[] runs) => string.Join(", ", runs.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)));
}
