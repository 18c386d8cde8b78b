using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using CallFunctions.Rules;
using CallFunctions.RuleTable;
using static CallFunctions.Benchmarks.BenchmarkRules;
using CallFunctions.Calls;

namespace CallFunctions.Benchmarks;

/// <summary>
/// The cost of deciding one ringing call as the rules table grows. <c>Exact</c>: rules on exact numbers (a block list,
/// a quarter of them with office hours in Europe/Paris), plus a fixed handful of prefix, anonymous and time-only rules.
/// <c>Prefix</c>: every rule a prefix, the case the index cannot help.
/// </summary>
[MemoryDiagnoser]
public class RuleEvaluationBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 3, 30, 8, 0, 0, TimeSpan.Zero);
    private RuleSet _rules = RuleSet.Empty;
    private CallContext _listed = null!;
    private CallContext _unlisted = null!;

    [Params(10, 1_000, 10_000)]
    public int Rules { get; set; }

    [Params("Exact", "Prefix")]
    public string Kind { get; set; } = "Exact";

    [GlobalSetup]
    public void Setup()
    {
        var rows = BenchmarkRules.Common();
        for (var i = 0; i < Rules; i++)
        {
            var number = Number(i);
            rows.Add(Kind == "Exact"
                ? Row($"block-{i:00000}", 100 + i, "Reject", ("Caller", number), ("Hours", i % 4 == 0 ? "09:00-17:00" : null))
                : Row($"block-{i:00000}", 100 + i, "Reject", ("Caller", number[..^2] + "*")));
        }
        _rules = new RuleSet([.. rows.Select(r => RuleRow.Parse(r).Rule!)]);
        _listed = Call(Number(Rules / 2 + 1));
        _unlisted = Call("+14255550123");
        // The index is built on first use; build it outside the measurement.
        RuleEvaluator.Evaluate(_rules, _unlisted, CallStage.Incoming, RuleAction.Allow, Now);
    }

    [Benchmark(Description = "caller listed (a rule matches)")]
    public Decision Listed() => RuleEvaluator.Evaluate(_rules, _listed, CallStage.Incoming, RuleAction.Allow, Now);

    [Benchmark(Description = "caller not listed (no rule matches)")]
    public Decision Unlisted() => RuleEvaluator.Evaluate(_rules, _unlisted, CallStage.Incoming, RuleAction.Allow, Now);

    private static string Number(int i) => $"+3314{i:0000000}";

    private static CallContext Call(string caller) => new(
        "632899f8-2ea1-4604-8413-27bd2892079f",
        new Party([new Identity("phone", caller)]),
        [new Party([new Identity("applicationInstance", "7629bdce-046c-4903-86b4-a8f718277e1a")])],
        false,
        []);
}
