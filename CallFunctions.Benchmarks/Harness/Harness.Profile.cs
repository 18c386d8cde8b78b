using System.Text;

namespace CallFunctions.Benchmarks.Harness;

public static partial class Harness
{
    private const string ProfileHeading = "## 9. Where the CPU goes: a profile";

    private static string ProfileSection(HostCpuResult cpu, DateTimeOffset started, string loadBefore, string loadAfter)
    {
        var md = new StringBuilder();
        md.Append(Invariant, $"""

            {ProfileHeading}

            `./benchmark.sh profile` ({started:yyyy-MM-dd HH:mm} UTC, load {loadBefore} at the start and {loadAfter} at the end;
            alone, it rewrites this section only). The CPU comparison of section 3, with EventPipe's sample profiler attached
            to the app's worker and host over the measured rounds (`Harness/Profile.cs`; the traces stay in
            `artifacts/bench/profile/`). While profiled, the app cost {cpu.AppMicros:F0} µs per notification (worker
            {cpu.WorkerMicros("app"):F0}, host {cpu.HostMicros("app"):F0}) and the empty app {cpu.EmptyMicros:F0} µs: sampling adds its own cost,
            so section 3's figures come from a run without it. A share is of the samples in which a thread of that process
            ran managed code (a waiting thread is sampled too, and left out); inclusive: the method or anything it called.

            """);
        foreach (var profile in cpu.Profiles ?? [])
        {
            md.Append(Invariant, $"\n**The {profile.Process}** ({profile.Samples:N0} samples of managed code running). By area (a sample counts once in each area on its stack):\n\n");
            md.Append("| area | share |\n|---|---:|\n");
            foreach (var area in profile.Areas) md.Append(Invariant, $"| {area.Method} | {area.Inclusive:P0} |\n");
            md.Append("\nTop methods, inclusive (thread-pool and async plumbing left out):\n\n| method | inclusive | exclusive |\n|---|---:|---:|\n");
            foreach (var cost in profile.Top) md.Append(Invariant, $"| `{cost.Method.Replace("|", "\\|", StringComparison.Ordinal)}` | {cost.Inclusive:P1} | {cost.Exclusive:P1} |\n");
        }
        return md.ToString();
    }

    private const string WholePathHeading = "## 10. The webhook's whole path, in process";

    private static string WholePathSection(WholePathResult r, DateTimeOffset started, string loadBefore) => FormattableString.Invariant($"""

        {WholePathHeading}

        `./benchmark.sh wholepath` ({started:yyyy-MM-dd HH:mm} UTC, load {loadBefore}; alone, it rewrites this section only).
        `WholePathBenchmarks` (BenchmarkDotNet, in process, 5 warm-up and 15 measured iterations, `[MemoryDiagnoser]`): one
        ringing call a rule rejects, through the function's own code: Graph's token checked, the body read and parsed,
        the rules, the claim, the reject, the record and its index entry, the `202`'s body written. The app's services as
        the worker registers them, its `appsettings.json` log levels, and the real Azure SDK and Graph SDK clients, whose
        HTTP ends in a stub handler instead of a socket; a log provider formats each line with its scopes, as the worker's
        relay to the host starts by doing. No host, no gRPC, no sockets: what is left is what our code and the SDKs spend.

        | path | time | allocated | gen-0 collections per 1,000 |
        |---|---:|---:|---:|
        | a ringing call rejected, whole path | {r.Nanoseconds / 1000:F1} µs | {r.Allocated:N0} B | {r.Gen0Per1000} |

        **What bounds it.** The CPU of one thread; the stubs answer at once, so the figure is the SDK pipelines (request
        building, signing of the storage requests, response parsing), the token check, logging and our code, with none of
        the waiting a real request has. The difference from section 3's worker figure is the gRPC hop to the host, the
        sockets and the ASP.NET Core pipeline of the worker.

        """);
}
