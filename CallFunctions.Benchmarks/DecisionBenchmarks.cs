using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using CallFunctions.Notifications;
using CallFunctions.Rules;
using CallFunctions.RuleTable;
using static CallFunctions.Benchmarks.BenchmarkRules;
using CallFunctions.Calls;

namespace CallFunctions.Benchmarks;

/// <summary>
/// What the webhook spends on one ringing call before any I/O: parsing the notification body as it arrives and
/// evaluating the rules. <c>Exact</c>: samples/incoming-pstn.json against a block list of exact numbers holding its
/// caller. <c>Identity</c>: samples/incoming-p2p-teams-user.json against rules on Teams user ids holding its caller.
/// </summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 3, 30, 8, 0, 0, TimeSpan.Zero);
    private RuleSet _rules = RuleSet.Empty;
    private byte[] _body = [];
    private CallContext _call = null!;

    [Params(10, 1_000, 10_000)]
    public int Rules { get; set; }

    [Params("Exact", "Identity")]
    public string Kind { get; set; } = "Exact";

    [GlobalSetup]
    public void Setup()
    {
        var (sample, caller) = Kind == "Exact"
            ? ("incoming-pstn.json", "+1 425-555-0123")
            : ("incoming-p2p-teams-user.json", "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50");
        _body = File.ReadAllBytes(Repo.Path("samples", sample));
        var rows = BenchmarkRules.Common();
        for (var i = 0; i < Rules - 1; i++)
        {
            var term = Kind == "Exact" ? $"+3314{i:0000000}" : new Guid(i, 0, 0, new byte[8]).ToString();
            rows.Add(Row($"block-{i:00000}", 100 + i, "Reject", ("Caller", term), ("Hours", i % 4 == 0 ? "09:00-17:00" : null), ("TimeZone", i % 4 == 0 ? "Europe/Paris" : null)));
        }
        // The caller's rule sits in the middle of the priority order.
        rows.Add(Row("the-caller", 100 + Rules / 2, "Reject", ("Caller", caller), ("Reason", "Busy")));
        _rules = new RuleSet([.. rows.Select(r => RuleRow.Parse(r).Rule!)]);
        if (ParseAndDecide().RuleName != "the-caller") throw new InvalidOperationException("The sample's caller must match its rule.");
        _call = CallContext.From(((Item.Call)((Envelope.Batch)NotificationParser.Parse(_body)).Items[0]).Event);
    }

    [Benchmark(Description = "decide (already parsed)")]
    public Decision Decide() => RuleEvaluator.Evaluate(_rules, _call, CallStage.Incoming, RuleAction.Allow, Now);

    [Benchmark(Description = "parse the notification and decide")]
    public Decision ParseAndDecide()
    {
        var batch = (Envelope.Batch)NotificationParser.Parse(_body);
        var call = ((Item.Call)batch.Items[0]).Event;
        return RuleEvaluator.Evaluate(_rules, CallContext.From(call), CallStage.Incoming, RuleAction.Allow, Now);
    }

}
