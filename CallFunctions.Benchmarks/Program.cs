using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CallFunctions.Benchmarks.Harness;

// decision | ringtoreject | cpu | memory | coldstart | query | repeat | all: the harness of ./benchmark.sh. Anything else goes to BenchmarkDotNet.
if (args is [var mode] && Harness.Modes.Contains(mode)) return await Harness.RunAsync(mode);

// In-process: no generated project to restore, so it runs where only this solution's packages are reachable.
// A fixed number of iterations keeps a full run to a few minutes on a small, shared machine.
var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(20).AsDefault();
BenchmarkSwitcher.FromAssembly(typeof(CallFunctions.Benchmarks.RuleEvaluationBenchmarks).Assembly)
    .Run(args, DefaultConfig.Instance.AddJob(job));
return 0;
