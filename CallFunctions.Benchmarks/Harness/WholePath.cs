using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CallFunctions.Benchmarks.Harness;

public sealed record WholePathResult(double Nanoseconds, long? Allocated, long Gen0Per1000);

/// <summary><see cref="WholePathBenchmarks"/> in process (5 warm-up, 15 measured iterations).</summary>
public static class WholePath
{
    public static WholePathResult Run()
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(15))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithArtifactsPath(Repo.Path("artifacts", "bench", "BenchmarkDotNet"));
        var summary = BenchmarkRunner.Run<WholePathBenchmarks>(config);
        var report = summary.Reports.Single(r => r.ResultStatistics is not null);
        return new WholePathResult(report.ResultStatistics!.Mean, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase),
            (long)(report.GcStats.Gen0Collections * 1000.0 / Math.Max(1, report.GcStats.TotalOperations)));
    }
}
