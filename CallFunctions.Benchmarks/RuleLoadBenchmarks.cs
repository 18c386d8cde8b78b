using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using CallFunctions.Rules;
using CallFunctions.RuleTable;
using CallFunctions.Calls;

namespace CallFunctions.Benchmarks;

/// <summary>
/// What a refresh costs once the rows are read: parsing every row and building the index. It is paid by the first
/// notification after each Rules__RefreshSeconds, not by every call.
/// </summary>
[MemoryDiagnoser]
public class RuleLoadBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 3, 30, 8, 0, 0, TimeSpan.Zero);
    private static readonly CallContext Caller = new(null, new Party([new Identity("phone", "+14255550123")]), [], false, []);
    private List<TableEntity> _rows = [];

    [Params(10, 1_000, 10_000)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup() => _rows =
    [
        .. Enumerable.Range(0, Rules).Select(i => new TableEntity("default", $"block-{i:00000}")
        {
            ["Priority"] = 100 + i,
            ["Action"] = "Reject",
            ["Caller"] = $"+3314{i:0000000}",
            ["Hours"] = i % 4 == 0 ? "09:00-17:00" : null,
            ["TimeZone"] = i % 4 == 0 ? "Europe/Paris" : null,
        }),
    ];

    [Benchmark(Description = "parse rows and build the index")]
    public Decision ParseAndIndex() =>
        RuleEvaluator.Evaluate(RuleTableReader.Parse(_rows), Caller, CallStage.Incoming, RuleAction.Allow, Now);
}
