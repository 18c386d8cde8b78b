using System.Globalization;
using Azure.Data.Tables;
using CallFunctions.Calls;
using CallFunctions.Records;
using CallFunctions.Operators.WhatIf;
using CallFunctions.Rules;

namespace CallFunctions.Tests.Rules;

/// <summary>The evaluator's Repeat condition on counted rings (a pure input), its explanation, and what-if's count.</summary>
public sealed class RepeatEvaluatorTests
{
    private static readonly DateTimeOffset Noon = DateTimeOffset.Parse("2027-01-13T12:00:00Z", CultureInfo.InvariantCulture);

    private static readonly TableEntity Robot = Rows.Rule("robot", 10, "Reject", reason: "Busy").With("Repeat", "3/10m");

    private static (Decision Decision, ConditionCheck Check) Explain(CallerRings? rings, CallContext? call = null)
    {
        var trace = new List<RuleVerdict>();
        var decision = RuleEvaluator.Evaluate(Evaluate.Rules(Robot), call ?? Evaluate.Call(), CallStage.Incoming, RuleAction.Allow, Noon, trace, rings);
        return (decision, Assert.Single(Assert.Single(trace).Conditions));
    }

    public static TheoryData<int[], bool, string> Counts => new()
    {
        { [], false, "ring 1 of caller phone:+14255550123 within 10m, this ring included" },
        { [-60], false, "ring 2 of caller phone:+14255550123 within 10m, this ring included" },
        { [-60, -599], true, "ring 3 of caller phone:+14255550123 within 10m, this ring included" },
        { [-60, -600], false, "ring 2 of caller phone:+14255550123 within 10m, this ring included" },
        { [-60, -601, -5000], false, "ring 2 of caller phone:+14255550123 within 10m, this ring included" },
        { [-1, -2, -3], true, "ring 4 of caller phone:+14255550123 within 10m, this ring included" },
    };

    [Theory]
    [MemberData(nameof(Counts))]
    public void HoldsFromTheNthRingWithinTheWindowThisRingIncluded(int[] secondsAgo, bool rejected, string detail)
    {
        var (decision, check) = Explain(new CallerRings([.. secondsAgo.Select(s => Noon.AddSeconds(s))]));

        Assert.Equal(rejected ? "robot" : null, decision.Rule);
        Assert.Equal(new ConditionCheck(Condition.Repeat, "3/10m", rejected, detail), check);
        Assert.Equal(rejected, RuleEvaluator.Evaluate(Evaluate.Rules(Robot), Evaluate.Call(), CallStage.Incoming, RuleAction.Allow, Noon,
            rings: new CallerRings([.. secondsAgo.Select(s => Noon.AddSeconds(s))])).Rule is not null);
    }

    [Fact]
    public void WhenStorageCouldNotCountTheConditionDoesNotHoldAndTheExplanationSaysSo()
    {
        var (decision, check) = Explain(CallerRings.Unavailable("Table Storage did not answer"));

        Assert.Null(decision.Rule);
        Assert.Equal(new ConditionCheck(Condition.Repeat, "3/10m", false,
            "the rings could not be counted (Table Storage did not answer), so the condition does not hold"), check);
    }

    [Fact]
    public void AnAnonymousCallerIsNeverCounted()
    {
        var (decision, check) = Explain(new CallerRings([Noon, Noon, Noon]), Evaluate.Call(Party.None));

        Assert.Null(decision.Rule);
        Assert.Equal("anonymous callers are never counted together", check.Detail);
    }

    [Fact]
    public void RingsNotCountedDoNotHold() => Assert.False(Explain(null).Check.Holds);

    [Fact]
    public void OnlyAScopeWithAnEnabledRepeatRuleNeedsRingsCounted()
    {
        var tenantOnly = Rows.Rule("tenant-robot", 10, "Reject", scope: "t-1").With("Repeat", "2/1h");
        var rules = Evaluate.Rules(tenantOnly, Rows.Rule("off", 20, "Reject", enabled: false).With("Repeat", "5/24h"), Rows.Rule("plain", 30, "Reject"));

        Assert.Null(rules.RepeatsFor("t-2"));
        Assert.Equal(new RepeatNeed(TimeSpan.FromHours(1), 2), rules.RepeatsFor("t-1"));
    }

    private static TableEntity Ring(string callId, string caller, DateTimeOffset at) =>
        CallRecord.Decision(callId, new CallContext("tenant", Party.Parse(caller), [], false, []), null, at,
            new Decision(RuleAction.Allow, null, null), null, at);

    [Fact]
    public void WhatIfCountsThePeriodsRecordedRingsInTheOrderTheyRang()
    {
        var records = new[]
        {
            Ring("a4", "phone:+14255550100", Noon.AddMinutes(20)),
            Ring("a3", "phone:+14255550100", Noon.AddMinutes(2)),
            Ring("b1", "phone:+14255550199", Noon.AddMinutes(1)),
            Ring("a1", "phone:+14255550100", Noon),
            Ring("x1", "phone:anonymous", Noon),
            Ring("x2", "phone:anonymous", Noon.AddMinutes(1)),
            Ring("x3", "phone:anonymous", Noon.AddMinutes(2)),
            Ring("a2", "phone:+1 425 555 0100", Noon.AddMinutes(1)),
        };

        var report = WhatIfReplay.Replay(records.Select(CallRecord.From), Evaluate.Rules(Robot), RuleAction.Allow, Noon.AddHours(-1), Noon.AddHours(1));

        var changed = Assert.Single(report.Changed);
        Assert.Equal(new ChangedCall("a3", "phone:+14255550100", Noon.AddMinutes(2), "(default)", new(RuleAction.Allow), "robot", new(RuleAction.Reject, "Busy")), changed);
        Assert.Equal(8, report.Replayed);
        Assert.EndsWith(""","oldRule":"(default)","oldAction":"Allow","newRule":"robot","newAction":"Reject Busy"}""",
            System.Text.Json.JsonSerializer.Serialize(changed, System.Text.Json.JsonSerializerOptions.Web), StringComparison.Ordinal);
    }

    [Fact]
    public void WhatIfListsACallWhoseRedirectTargetWouldChange()
    {
        var record = CallRecord.Decision("c1", Evaluate.Call(), null, Noon,
            new Decision(RuleAction.Redirect, new Redirection([new Identity("phone", "+14255550100")]), "front-desk"), null, Noon);
        var rules = Evaluate.Rules(Rows.Rule("front-desk", 10, "Redirect").With("Target", "+14255550111"));

        var changed = Assert.Single(WhatIfReplay.Replay([CallRecord.From(record)], rules, RuleAction.Allow, Noon.AddHours(-1), Noon.AddHours(1)).Changed);

        Assert.Equal(("Redirect to phone:+14255550100", "Redirect to phone:+14255550111"), (changed.OldAction.ToString(), changed.NewAction.ToString()));
    }
}
