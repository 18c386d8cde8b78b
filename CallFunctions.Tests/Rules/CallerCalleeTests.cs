using CallFunctions.Rules;
using CallFunctions.Calls;

namespace CallFunctions.Tests.Rules;

public sealed class CallerCalleeTests
{
    private const string Noon = "2026-03-30T12:00:00Z";

    public static TheoryData<string, Party, bool> Callers() => new()
    {
        { "no identity at all", Party.None, true },
        { "a phone without a number", new Party([new Identity("phone", "")]), true },
        { "a number withheld as anonymous", new Party([new Identity("phone", "Anonymous")]), true },
        { "an encrypted identity", new Party([new Identity("encrypted", "Vk1YbmE1Q3U5ZUlGa1BuZz09")]), true },
        { "a PSTN number", Evaluate.Phone("+14255550123"), false },
        { "a Teams user", new Party([new Identity("user", "73146471-6f2b-4a5e-9a4e-0d1c2b3a4f50")]), false },
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public void TheAnonymousTermMatchesCallersWhoCannotBeToldApart(string who, Party caller, bool matches)
    {
        var rule = Rows.Rule("no-anonymous", 1, "Reject", caller: "anonymous");

        Assert.True(matches == Evaluate.Matches(rule, Noon, Evaluate.Call(caller)), who);
    }

    [Fact]
    public void AnonymousCombinesWithOtherTermsInOneList()
    {
        var rule = Rows.Rule("anonymous-or-premium", 1, "Reject", caller: "+1900*, ANONYMOUS");

        Assert.True(Evaluate.Matches(rule, Noon, Evaluate.Call(Evaluate.Phone("+19005550100"))));
        Assert.True(Evaluate.Matches(rule, Noon, Evaluate.Call(Party.None)));
        Assert.False(Evaluate.Matches(rule, Noon));
    }

    [Theory]
    [InlineData("+1 800 555 0000")]   // an exact number: found through the index
    [InlineData("+1800*")]            // a prefix: found by the scan
    public void ACalleeRuleMatchesTheNumberDialledBeforeAForward(string callee)
    {
        var rule = Rows.Rule("support-line", 1, "Reject", callee: callee);
        var forwarded = new CallRoute("forwarded", Evaluate.Phone("+18005550000"), new Party([new Identity("user", "b1f2")]));
        var lookup = new CallRoute("lookup", Evaluate.Phone("+18005550000"), new Party([new Identity("user", "b1f2")]));

        Assert.True(Evaluate.Matches(rule, Noon, Evaluate.Call(routes: [forwarded])));
        Assert.False(Evaluate.Matches(rule, Noon, Evaluate.Call(routes: [lookup])));
        Assert.False(Evaluate.Matches(rule, Noon));
    }

    [Fact]
    public void TheIndexAgreesWithAScanOfEveryRule()
    {
        var rows = new List<Azure.Data.Tables.TableEntity>();
        for (var i = 0; i < 300; i++)
        {
            var number = $"+1425555{i % 100:0000}";
            rows.Add((i % 5) switch
            {
                0 => Rows.Rule($"r{i:000}", i % 37, "Reject", caller: number, hours: "09:00-17:00"),
                1 => Rows.Rule($"r{i:000}", i % 37, "Allow", caller: $"{number}, +1900*"),
                2 => Rows.Rule($"r{i:000}", i % 37, "Reject", callee: number, days: "Mon-Fri"),
                3 => Rows.Rule($"r{i:000}", i % 37, "Reject", caller: number, dates: "2026-03-30"),
                _ => Rows.Rule($"r{i:000}", i % 37, "Reject", caller: "anonymous", hours: "22:00-06:00"),
            });
        }
        var rules = Evaluate.Rules([.. rows]);
        var ordered = rules.Rules.OrderBy(r => r.Priority).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();

        foreach (var utc in new[] { "2026-03-30T12:00:00Z", "2026-03-29T23:00:00Z", "2026-03-31T08:00:00Z" })
        foreach (var n in new[] { 0, 7, 42, 99, 100 })
        {
            var now = DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);
            var number = $"+1425555{n:0000}";
            foreach (var call in new[]
                     {
                         Evaluate.Call(Evaluate.Phone(number)), Evaluate.Call(callee: Evaluate.Phone(number)), Evaluate.Call(Party.None),
                         Evaluate.Call(routes: [new CallRoute("forwarded", Evaluate.Phone(number), Party.None)]),
                     })
            {
                var scanned = ordered.FirstOrDefault(r => Conditions.Matches(r, call, now))?.Name;
                Assert.Equal(scanned, RuleEvaluator.Evaluate(rules, call, CallStage.Incoming, RuleAction.Allow, now).Rule);
            }
        }
    }
}
