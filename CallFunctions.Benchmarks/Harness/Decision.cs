using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CallFunctions.Benchmarks.Harness;

public sealed record DecisionResult(string Method, string Kind, int Rules, double Nanoseconds, long? Allocated);

/// <summary><see cref="DecisionBenchmarks"/> as a short run (3 warm-up, 3 measured iterations), in process.</summary>
public static class Decision
{
    /// <summary>The harness's BenchmarkDotNet runs: in process, with allocations, their files under artifacts/bench.</summary>
    public static ManualConfig InProcess(Job job) => ManualConfig.CreateEmpty()
        .AddJob(job.WithToolchain(InProcessEmitToolchain.Instance))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddLogger(ConsoleLogger.Default)
        .AddColumnProvider(DefaultColumnProviders.Instance)
        .WithArtifactsPath(Repo.Path("artifacts", "bench", "BenchmarkDotNet"));

    public static List<DecisionResult> Run()
    {
        var summary = BenchmarkRunner.Run<DecisionBenchmarks>(InProcess(Job.ShortRun));
        return
        [
            .. summary.Reports.Where(r => r.ResultStatistics is not null).Select(r => new DecisionResult(
                r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                (string)r.BenchmarkCase.Parameters["Kind"],
                (int)r.BenchmarkCase.Parameters["Rules"],
                r.ResultStatistics!.Mean,
                r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase))),
        ];
    }
}
