using System.Globalization;
using CallFunctions.Rules;
using CallFunctions.Calls;

namespace CallFunctions.Tests.Rules;

public sealed class RuleEvaluatorTests
{
    private const string Bot = "2891555a-92ff-42e6-80fa-6e1300c6b5c6";
    private const string TenantA = "632899f8-2ea1-4604-8413-27bd2892079f";
    private const string TenantB = "1cd119ab-b444-4c16-84b9-8538585d1987";

    [Fact]
    public void TheRuleWithTheLowestPriorityWins()
    {
        var rules = Set(
            Rule("late", 20, RuleAction.Reject, caller: "+1*"),
            Rule("early", 10, RuleAction.Reject, caller: "+1425*", reason: RejectReason.Busy),
            Rule("unrelated", 1, RuleAction.Reject, caller: "+44*"));

        Assert.Equal(new Decision(RuleAction.Reject, new Rejection(RejectReason.Busy), "early"), Incoming(rules, Call("+14255550123")));
    }

    [Theory]
    [InlineData("b", "a", "a")]
    [InlineData("a", "B", "B")]
    [InlineData("rule-10", "rule-9", "rule-10")]
    [InlineData("é", "z", "z")]
    public void PriorityTiesAreBrokenByRowKeyInOrdinalOrder(string first, string second, string winner)
    {
        var rules = Set(
            Rule(first, 5, RuleAction.Reject, caller: "+1*", reason: RejectReason.Busy),
            Rule(second, 5, RuleAction.Reject, caller: "+1*", reason: RejectReason.Forbidden));

        Assert.Equal(winner, Incoming(rules, Call("+14255550123")).Rule);
    }

    [Fact]
    public void AnAllowRuleStopsEvaluation()
    {
        var rules = Set(
            Rule("block-all-pstn", 20, RuleAction.Reject, caller: "+*"),
            Rule("ceo-mobile", 10, RuleAction.Allow, caller: "+1 (425) 555-0123"));

        Assert.Equal(new Decision(RuleAction.Allow, null, "ceo-mobile"), Incoming(rules, Call("+14255550123")));
        Assert.Equal("block-all-pstn", Incoming(rules, Call("+14255550124")).Rule);
    }

    [Fact]
    public void AnAllowRuleAppliesAtBothStages()
    {
        var rules = Set(Rule("vip", 1, RuleAction.Allow, caller: "+14255550123"), Rule("hang-up-all", 2, RuleAction.HangUp));

        Assert.Equal("vip", Incoming(rules, Call("+14255550123")).Rule);
        Assert.Equal("vip", Active(rules, Call("+14255550123")).Rule);
        Assert.Equal("hang-up-all", Active(rules, Call("+14255550124")).Rule);
    }

    [Fact]
    public void RejectRulesApplyOnlyToIncomingCalls()
    {
        var rules = Set(Rule("block", 1, RuleAction.Reject, caller: "+1*", reason: RejectReason.Forbidden));

        Assert.Equal(new Decision(RuleAction.Reject, new Rejection(RejectReason.Forbidden), "block"), Incoming(rules, Call("+14255550123")));
        Assert.Equal(new Decision(RuleAction.Allow, null, null), Active(rules, Call("+14255550123")));
    }

    [Fact]
    public void HangUpRulesApplyOnlyToActiveCalls()
    {
        var rules = Set(Rule("drop", 1, RuleAction.HangUp, caller: "+1*"));

        Assert.Equal(new Decision(RuleAction.HangUp, null, "drop"), Active(rules, Call("+14255550123")));
        Assert.Equal(new Decision(RuleAction.Allow, null, null), Incoming(rules, Call("+14255550123")));
    }

    [Fact]
    public void ARuleOfTheOtherStageDoesNotHideALaterRuleOfThisStage()
    {
        var rules = Set(
            Rule("drop", 1, RuleAction.HangUp, caller: "+1*"),
            Rule("block", 2, RuleAction.Reject, caller: "+1*"));

        Assert.Equal("block", Incoming(rules, Call("+14255550123")).Rule);
        Assert.Equal("drop", Active(rules, Call("+14255550123")).Rule);
    }

    [Theory]
    [InlineData(RuleAction.Allow, CallStage.Incoming, RuleAction.Allow)]
    [InlineData(RuleAction.Allow, CallStage.Active, RuleAction.Allow)]
    [InlineData(RuleAction.Reject, CallStage.Incoming, RuleAction.Reject)]
    [InlineData(RuleAction.Reject, CallStage.Active, RuleAction.Allow)]
    [InlineData(RuleAction.HangUp, CallStage.Incoming, RuleAction.Allow)]
    [InlineData(RuleAction.HangUp, CallStage.Active, RuleAction.HangUp)]
    public void TheDefaultActionAppliesOnlyAtItsStageWhenNoRuleMatches(RuleAction defaultAction, CallStage stage, RuleAction expected)
    {
        var rules = Set(Rule("uk", 1, RuleAction.Reject, caller: "+44*", reason: RejectReason.Busy));

        var decision = RuleEvaluator.Evaluate(rules, Call("+14255550123"), stage, defaultAction, Now);

        Assert.Equal(new Decision(expected, null, null), decision);
        Assert.Equal("(default)", decision.RuleName);
    }

    [Fact]
    public void AnEmptyRuleSetGivesTheDefaultAction()
    {
        Assert.Equal(new Decision(RuleAction.Reject, null, null),
            RuleEvaluator.Evaluate(RuleSet.Empty, Call("+14255550123"), CallStage.Incoming, RuleAction.Reject, Now));
    }

    [Fact]
    public void ATenantSeesItsOwnRulesMergedWithTheDefaultOnes()
    {
        var rules = Set(
            Rule("block-us", 20, RuleAction.Reject, caller: "+1*"),
            Rule("a-allows-ceo", 10, RuleAction.Allow, caller: "+14255550123", scope: TenantA),
            Rule("a-blocks-uk", 30, RuleAction.Reject, caller: "+44*", scope: TenantA, reason: RejectReason.Forbidden));

        Assert.Equal("a-allows-ceo", Incoming(rules, Call("+14255550123", tenant: TenantA)).Rule);
        Assert.Equal("block-us", Incoming(rules, Call("+14255550100", tenant: TenantA)).Rule);
        Assert.Equal("a-blocks-uk", Incoming(rules, Call("+442071234567", tenant: TenantA)).Rule);
        Assert.Equal("block-us", Incoming(rules, Call("+14255550123", tenant: TenantB)).Rule);
        Assert.Null(Incoming(rules, Call("+442071234567", tenant: TenantB)).Rule);
        Assert.Equal("block-us", Incoming(rules, Call("+14255550123", tenant: null)).Rule);
    }

    [Fact]
    public void ADefaultRuleOfLowerPriorityWinsOverATenantRule()
    {
        var rules = Set(
            Rule("default-block", 5, RuleAction.Reject, caller: "+1*"),
            Rule("tenant-allow", 10, RuleAction.Allow, caller: "+1*", scope: TenantA));

        Assert.Equal("default-block", Incoming(rules, Call("+14255550123", tenant: TenantA)).Rule);
    }

    [Fact]
    public void TheTenantPartitionIsMatchedCaseInsensitively()
    {
        var rules = Set(Rule("tenant-block", 1, RuleAction.Reject, caller: "+1*", scope: TenantA.ToUpperInvariant()));

        Assert.Equal("tenant-block", Incoming(rules, Call("+14255550123", tenant: TenantA)).Rule);
    }

    [Fact]
    public void DisabledRulesAreIgnored()
    {
        var rules = Set(
            Rule("off-prefix", 1, RuleAction.Reject, caller: "+1*", enabled: false),
            Rule("off-exact", 2, RuleAction.Reject, caller: "+14255550123", enabled: false),
            Rule("off-tenant", 3, RuleAction.Reject, scope: TenantA, enabled: false),
            Rule("on", 4, RuleAction.Reject, caller: "+1425*", reason: RejectReason.Busy));

        Assert.Equal(new Decision(RuleAction.Reject, new Rejection(RejectReason.Busy), "on"), Incoming(rules, Call("+14255550123", tenant: TenantA)));
    }

    [Fact]
    public void ActsAtActiveCountsOnlyEnabledHangUpRules()
    {
        Assert.False(Set(Rule("off", 1, RuleAction.HangUp, enabled: false), Rule("block", 2, RuleAction.Reject)).ActsAt(CallStage.Active));
        Assert.True(Set(Rule("on", 1, RuleAction.HangUp, scope: TenantA)).ActsAt(CallStage.Active));
    }

    [Theory]
    [InlineData(CallType.Any, false, true)]
    [InlineData(CallType.Any, true, true)]
    [InlineData(CallType.Group, true, true)]
    [InlineData(CallType.Group, false, false)]
    [InlineData(CallType.PeerToPeer, false, true)]
    [InlineData(CallType.PeerToPeer, true, false)]
    public void ACallTypeRuleMatchesOnlyThatKindOfCall(CallType callType, bool isGroup, bool matches)
    {
        var rules = Set(Rule("typed", 1, RuleAction.Reject, caller: "+1*", callType: callType));

        Assert.Equal(matches ? "typed" : null, Incoming(rules, Call("+14255550123", group: isGroup)).Rule);
    }

    [Fact]
    public void ACalleePatternMatchesAnyTarget()
    {
        var rules = Set(Rule("reception", 1, RuleAction.Reject, callee: "+14255550100"));
        var call = new CallContext(TenantA, Phone("+33123456789"), [Target(Bot), Phone("+1 425 555 0100")], false, []);

        Assert.Equal("reception", Incoming(rules, call).Rule);
        Assert.Null(Incoming(rules, new CallContext(TenantA, Phone("+33123456789"), [Target(Bot)], false, [])).Rule);
        Assert.Null(Incoming(rules, new CallContext(TenantA, Phone("+14255550100"), [], false, [])).Rule);
    }

    [Fact]
    public void ACallerPatternMatchesAnyIdentityOfTheSource()
    {
        var rules = Set(Rule("adele", 1, RuleAction.Reject, caller: "73146471-6F2B-4A5E-9A4E-0D1C2B3A4F50"));
        var source = new Party([new Identity("phone", "+14255550123"), new Identity("user", "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50")]);

        Assert.Equal("adele", Incoming(rules, new CallContext(TenantA, source, [Target(Bot)], false, [])).Rule);
    }

    [Fact]
    public void ARuleWithCallerAndCalleeNeedsBoth()
    {
        var rules = Set(Rule("both", 1, RuleAction.Reject, caller: "+14255550123", callee: "+1800*"));

        Assert.Equal("both", Incoming(rules, Call("+14255550123", callee: "+18005550100")).Rule);
        Assert.Null(Incoming(rules, Call("+14255550123", callee: "+14255550100")).Rule);
        Assert.Null(Incoming(rules, Call("+14255550124", callee: "+18005550100")).Rule);
    }

    [Theory]
    [InlineData("+14255550300", "exact-0300")]
    [InlineData("+1 425 555 0300", "exact-0300")]
    [InlineData("+14255550000", "exact-0000")]
    [InlineData("+14255550499", "exact-0499")]
    [InlineData("+14255550500", "exact-0500")]
    [InlineData("+14255550501", "prefix")]
    [InlineData("+14255550700", "prefix")]
    [InlineData("+14255550999", "prefix")]
    [InlineData("+14255559999", "prefix")]
    [InlineData("+14255550040", "exact-0040")]
    [InlineData("+14255550050", "regex")]
    [InlineData("+14255550059", "regex")]
    [InlineData("+442071234567", null)]
    public void ExactRulesInTheIndexAndScannedRulesStillGiveTheLowestPriorityMatch(string caller, string? winner)
    {
        // 1,000 exact rules at priorities 100–1099, a prefix rule tied with exact-0500 at 600, a regex rule at 149 (between 0049 and 0050).
        var rules = new List<Rule>();
        for (var i = 0; i < 1000; i++)
            rules.Add(Rule($"exact-{i:D4}", 100 + i, RuleAction.Reject, caller: $"+1425555{i:D4}"));
        rules.Add(Rule("prefix", 600, RuleAction.Allow, caller: "+1425555*"));
        rules.Add(Rule("regex", 149, RuleAction.Allow, caller: @"re:^\+142555500[45]\d$"));

        Assert.Equal(winner, Incoming(new RuleSet(rules), Call(caller)).Rule);
    }

    [Theory]
    [InlineData("+14255550300", "exact-0300")]
    [InlineData("+14255550700", "prefix")]
    public void ExactCalleeRulesInTheIndexInterleaveWithScannedRules(string callee, string winner)
    {
        var rules = new List<Rule>();
        for (var i = 0; i < 1000; i++)
            rules.Add(Rule($"exact-{i:D4}", 100 + i, RuleAction.Reject, callee: $"+1425555{i:D4}"));
        rules.Add(Rule("prefix", 600, RuleAction.Allow, callee: "+1425555*"));

        Assert.Equal(winner, Incoming(new RuleSet(rules), Call("+33123456789", callee: callee)).Rule);
    }

    [Fact]
    public void AnExactListRuleIsFoundByAnyOfItsNumbers()
    {
        var rules = Set(
            Rule("list", 5, RuleAction.Reject, caller: "+14255550100, +14255550101,+1 425 555 0102"),
            Rule("later", 9, RuleAction.Reject, caller: "+1*"));

        Assert.Equal("list", Incoming(rules, Call("+14255550101")).Rule);
        Assert.Equal("list", Incoming(rules, Call("tel:+1-425-555-0102")).Rule);
        Assert.Equal("later", Incoming(rules, Call("+14255550103")).Rule);
    }

    [Fact]
    public void AnIndexedRuleThatMatchesTheNumberButNotTheCallTypeGivesWayToTheNextRule()
    {
        var rules = Set(
            Rule("group-only", 1, RuleAction.Reject, caller: "+14255550123", callType: CallType.Group),
            Rule("disabled", 2, RuleAction.Reject, caller: "+14255550123", enabled: false),
            Rule("p2p", 3, RuleAction.Reject, caller: "+14255550123", callee: "+1800*"),
            Rule("fallback", 4, RuleAction.Reject, caller: "+14255550123", reason: RejectReason.Busy));

        Assert.Equal("fallback", Incoming(rules, Call("+14255550123", callee: "+14255550100")).Rule);
        Assert.Equal("group-only", Incoming(rules, Call("+14255550123", group: true)).Rule);
    }

    [Theory]
    [InlineData("+14255550123", "+14255550100", "as-caller")]
    [InlineData("+33123456789", "+14255550123", "as-callee")]
    [InlineData("+14255550123", "+14255550123", "as-callee")]
    [InlineData("+33123456789", "+14255550100", null)]
    public void TheSameExactNumberInCallerAndCalleeRulesIsMatchedOnTheRightSide(string caller, string callee, string? winner)
    {
        var rules = Set(
            Rule("as-caller", 20, RuleAction.Reject, caller: "+14255550123"),
            Rule("as-callee", 10, RuleAction.Reject, callee: "+14255550123", reason: RejectReason.Busy));

        Assert.Equal(winner, Incoming(rules, Call(caller, callee: callee)).Rule);
    }

    [Fact]
    public void TheSameRuleSetAnswersEachStageAndTenantSeparately()
    {
        var rules = Set(
            Rule("block", 1, RuleAction.Reject, caller: "+1*"),
            Rule("drop", 2, RuleAction.HangUp, caller: "+1*", scope: TenantA));

        Assert.Equal("block", Incoming(rules, Call("+14255550123", tenant: TenantA)).Rule);
        Assert.Equal("drop", Active(rules, Call("+14255550123", tenant: TenantA)).Rule);
        Assert.Null(Active(rules, Call("+14255550123", tenant: TenantB)).Rule);
        Assert.Equal("block", Incoming(rules, Call("+14255550123", tenant: TenantB)).Rule);
    }

    [Fact]
    public void TheIndexAgreesWithAPlainScanWrittenHereOnRandomRules()
    {
        var random = new Random(20240611);
        string[] numbers = ["+14255550100", "+14255550101", "+14255550123", "+18005550100", "+442071234567", Bot, TenantA];
        string[] scopes = ["default", TenantA, TenantB];
        string[] loose = ["+1*", "+1425*", "+44*", @"re:^\+1800", @"re:0$", "*"];

        for (var round = 0; round < 200; round++)
        {
            var rows = new List<RandomRule>();
            for (var i = 0; i < 30; i++)
            {
                rows.Add(new RandomRule(
                    Name: $"r{random.Next(50).ToString(CultureInfo.InvariantCulture)}-{i.ToString(CultureInfo.InvariantCulture)}",
                    Priority: random.Next(10),
                    Action: (RuleAction)random.Next(3),
                    Caller: Term(random, numbers, loose),
                    Callee: Term(random, numbers, loose),
                    CallType: (CallType)random.Next(3),
                    Enabled: random.Next(5) > 0,
                    Scope: scopes[random.Next(scopes.Length)]));
            }
            var set = new RuleSet([.. rows.Select(r => Rule(r.Name, r.Priority, r.Action, r.Caller, r.Callee, r.CallType, r.Enabled, r.Scope))]);

            for (var c = 0; c < 20; c++)
            {
                var tenant = random.Next(4) == 0 ? null : scopes[random.Next(1, scopes.Length)];
                var caller = numbers[random.Next(numbers.Length)];
                string[] callees = [numbers[random.Next(numbers.Length)], numbers[random.Next(numbers.Length)]];
                var group = random.Next(2) == 0;
                var call = new CallContext(tenant, Phone(caller), [Target(callees[0]), Phone(callees[1])], group, []);
                foreach (var stage in new[] { CallStage.Incoming, CallStage.Active })
                {
                    var expected = rows
                        .Where(r => r.Enabled && PlainScan.Applies(r.Action, stage))
                        .Where(r => r.Scope == "default" || string.Equals(r.Scope, tenant, StringComparison.OrdinalIgnoreCase))
                        .OrderBy(r => r.Priority).ThenBy(r => r.Name, StringComparer.Ordinal)
                        .FirstOrDefault(r => PlainScan.Holds(r.CallType, group) && PlainScan.Holds(r.Caller, [caller]) && PlainScan.Holds(r.Callee, callees));

                    Assert.Equal(expected?.Name, RuleEvaluator.Evaluate(set, call, stage, RuleAction.Allow, Now).Rule);
                }
            }
        }
    }

    private sealed record RandomRule(
        string Name, int Priority, RuleAction Action, string? Caller, string? Callee, CallType CallType, bool Enabled, string Scope);

    /// <summary>
    /// What the README says a rule means, written out here without the product's code, for the terms the random rules
    /// use: exact numbers or ids, prefixes ending in *, re: expressions; ids compared ignoring case.
    /// </summary>
    private static class PlainScan
    {
        public static bool Applies(RuleAction action, CallStage stage) => (action, stage) switch
        {
            (RuleAction.Allow, _) => true,
            (RuleAction.Reject, CallStage.Incoming) => true,
            (RuleAction.HangUp, CallStage.Active) => true,
            _ => false,
        };

        public static bool Holds(CallType type, bool group) => type switch
        {
            CallType.Group => group,
            CallType.PeerToPeer => !group,
            _ => true,
        };

        public static bool Holds(string? column, string[] ids) =>
            column is null || column.Split(", ").Any(term => ids.Any(id => TermHolds(term, id)));

        private static bool TermHolds(string term, string id) =>
            term.StartsWith("re:", StringComparison.Ordinal) ? System.Text.RegularExpressions.Regex.IsMatch(id, term[3..], System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            : term.EndsWith('*') ? id.StartsWith(term[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(term, id, StringComparison.OrdinalIgnoreCase);
    }

    private static string? Term(Random random, string[] numbers, string[] loose) => random.Next(4) switch
    {
        0 => null,
        1 => numbers[random.Next(numbers.Length)],
        2 => $"{numbers[random.Next(numbers.Length)]}, {numbers[random.Next(numbers.Length)]}",
        _ => loose[random.Next(loose.Length)],
    };

    /// <summary>These rules have no time conditions: any instant will do.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static Decision Incoming(RuleSet rules, CallContext call) => RuleEvaluator.Evaluate(rules, call, CallStage.Incoming, RuleAction.Allow, Now);

    private static Decision Active(RuleSet rules, CallContext call) => RuleEvaluator.Evaluate(rules, call, CallStage.Active, RuleAction.Allow, Now);

    private static RuleSet Set(params Rule[] rules) => new(rules);

    private static Rule Rule(string name, int priority, RuleAction action, string? caller = null, string? callee = null,
        CallType callType = CallType.Any, bool enabled = true, string scope = "default", RejectReason reason = RejectReason.None) =>
        new(scope, name, priority, enabled, action, action == RuleAction.Reject ? new Rejection(reason) : null,
            caller is null ? null : Pattern.Parse(caller), callee is null ? null : Pattern.Parse(callee), callType);

    private static CallContext Call(string caller, string callee = Bot, string? tenant = TenantA, bool group = false) =>
        new(tenant, Phone(caller), [callee.StartsWith('+') ? Phone(callee) : Target(callee)], group, []);

    private static Party Phone(string number) => new([new Identity("phone", number)]);

    private static Party Target(string id) => new([new Identity(id.StartsWith('+') ? "phone" : "application", id)]);
}
