using System.Text;

namespace CallFunctions.Benchmarks.Harness;

public static partial class Harness
{
    private const string ProfileHeading = "## 7. Where the CPU goes: a profile";

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
}
