using System.Text;

namespace CallFunctions.Benchmarks.Harness;

/// <summary>The sections of docs/benchmarks.md measured through the Functions host.</summary>
public static partial class Harness
{
    private static void RingToRejectSection(StringBuilder md, RingToRejectResult r) => md.Append(FormattableString.Invariant($"""

        ## 2. Ring to reject

        TODO {r.OneAtATime.P50}

        """));

    private static void CpuSection(StringBuilder md, HostCpuResult c) => md.Append(FormattableString.Invariant($"""

        ## 3. CPU per notification

        TODO {c.Ratio}

        """));

    private static void MemorySection(StringBuilder md, HostCpuResult c) => md.Append(FormattableString.Invariant($"""

        ## 4. Memory

        TODO {c.WorkerPeak}

        """));

    private static void ColdStartSection(StringBuilder md, ColdStartResult c) => md.Append(FormattableString.Invariant($"""

        ## 5. Cold start

        TODO {c.Ratio}

        """));
}
