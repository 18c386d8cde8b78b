using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace CallFunctions.Benchmarks.Harness;

public sealed record WholePathResult(double Nanoseconds, long? Allocated, long Gen0Per1000);

/// <summary><see cref="WholePathBenchmarks"/> in process (5 warm-up, 15 measured iterations).</summary>
public static class WholePath
{
    public static WholePathResult Run()
    {
        var summary = BenchmarkRunner.Run<WholePathBenchmarks>(Decision.InProcess(Job.Default.WithWarmupCount(5).WithIterationCount(15)));
        var report = summary.Reports.Single(r => r.ResultStatistics is not null);
        return new WholePathResult(report.ResultStatistics!.Mean, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase),
            (long)(report.GcStats.Gen0Collections * 1000.0 / Math.Max(1, report.GcStats.TotalOperations)));
    }
}
